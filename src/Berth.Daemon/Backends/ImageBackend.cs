using System.Runtime.CompilerServices;
using Berth.Api.Auth;
using Berth.Api.Containers;
using Berth.Api.Images;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Core.Snapshots;
using Berth.Daemon.Configuration;
using Berth.Daemon.Containers;
using Berth.Daemon.Events;
using Berth.Daemon.Http;
using Berth.Images.Archive;
using Berth.Images.Pull;
using Berth.Images.Push;
using Berth.Images.Store;
using Berth.Registry;
using Berth.Storage.Content;
using Berth.Storage.Snapshots;

namespace Berth.Daemon.Backends;

/// <summary>
/// The image service behind the images router: pull, push, list, inspect, history, tag, remove, prune, save, load and
/// login over one content store, snapshotter and image store (which the container service shares: see
/// <see cref="Content"/>, <see cref="Snapshots"/>, <see cref="Images"/>). Registry calls carrying a client's
/// credentials get a registry client of their own, so one client's login never serves another's request. Garbage
/// collection runs after removals only while no pull or load is writing (their blobs are unreferenced until the
/// image is recorded).
/// </summary>
internal sealed class ImageBackend : IImageBackend, IDisposable
{
    private const string ImageEvent = "image";

    private readonly RegistryClientOptions _registryOptions;
    private readonly RegistryClient _anonymous;
    private readonly ImagePullerOptions _pullOptions;
    private readonly EventBus _events;
    private readonly string _scratch;
    private readonly BackgroundRemovals? _containerRemovals;
    private readonly string _graphDriver;
    private readonly Lock _writersGate = new();
    private int _writers;

    internal ImageBackend(
        IContentStore content, ISnapshotter snapshots, IImageStore images, EventBus events, RegistryClientOptions registryOptions,
        ImagePullerOptions pullOptions, string scratchDirectory, string graphDriver, BackgroundRemovals? containerRemovals = null)
    {
        Content = content ?? throw new ArgumentNullException(nameof(content));
        Snapshots = snapshots ?? throw new ArgumentNullException(nameof(snapshots));
        Images = images ?? throw new ArgumentNullException(nameof(images));
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _registryOptions = registryOptions ?? throw new ArgumentNullException(nameof(registryOptions));
        _pullOptions = pullOptions ?? throw new ArgumentNullException(nameof(pullOptions));
        _scratch = scratchDirectory ?? throw new ArgumentNullException(nameof(scratchDirectory));
        _graphDriver = graphDriver;
        _containerRemovals = containerRemovals;
        _anonymous = new RegistryClient(registryOptions);
    }

    public IContentStore Content { get; }

    public ISnapshotter Snapshots { get; }

    public IImageStore Images { get; }

    /// <summary>
    /// The image service over <c>data-root</c>: <c>content/</c> (blobs), <c>snapshots/overlay</c> (or
    /// <c>snapshots/native</c> where overlayfs is unavailable or the storage driver is <c>vfs</c>), <c>image/</c>
    /// (images.json), <c>tmp/</c> (save/load scratch). <paramref name="usage"/> says which containers use an image.
    /// </summary>
    public static ImageBackend Create(DaemonSettings settings, EventBus events, IImageUsage? usage = null, BackgroundRemovals? containerRemovals = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string root = settings.DataRoot;
        string scratch = Path.Combine(root, "tmp");
        Directory.CreateDirectory(scratch);
        string overlayRoot = Path.Combine(root, "snapshots", "overlay");
        ISnapshotter snapshots;
        string driver;
        if (settings.StorageDriver is "overlay2" or "overlay" && OverlaySnapshotter.IsSupported(overlayRoot))
        {
            snapshots = new OverlaySnapshotter(overlayRoot);
            driver = "overlay2";
        }
        else
        {
            snapshots = new NativeSnapshotter(Path.Combine(root, "snapshots", "native"));
            driver = "vfs";
        }

        return new ImageBackend(
            new FileContentStore(Path.Combine(root, "content")), snapshots, new ImageStore(Path.Combine(root, "image"), usage), events,
            new RegistryClientOptions { InsecureRegistries = settings.InsecureRegistries },
            new ImagePullerOptions
            {
                MaxConcurrentDownloads = settings.MaxConcurrentDownloads,
                RegistryMirrors = settings.RegistryMirrors.Select(m => new Uri(m.Contains("://", StringComparison.Ordinal) ? m : "https://" + m)).ToList(),
            },
            scratch, driver, containerRemovals);
    }

    public IAsyncEnumerable<ProgressEvent> PullAsync(ImageReference reference, Platform? platform, AuthConfig? auth, CancellationToken cancellationToken) =>
        ProgressChannel.RunAsync(async (progress, ct) =>
        {
            using RegistryClient? own = ClientFor(auth);
            using WriteScope writing = BeginWrite();
            var puller = new ImagePuller(own ?? _anonymous, Content, Snapshots, Images, _pullOptions);
            ImageRecord image = await puller.PullAsync(reference, platform, progress, ct);
            _events.Publish(ImageEvent, "pull", reference.FamiliarString, new Dictionary<string, string> { ["name"] = reference.FamiliarString, ["id"] = image.Id.ToString() });
        }, cancellationToken);

    public IAsyncEnumerable<ProgressEvent> PushAsync(ImageReference reference, AuthConfig? auth, CancellationToken cancellationToken) =>
        ProgressChannel.RunAsync(async (progress, ct) =>
        {
            using RegistryClient? own = ClientFor(auth);
            var pusher = new ImagePusher(own ?? _anonymous, Content, Images);
            await pusher.PushAsync(reference, progress, ct);
            _events.Publish(ImageEvent, "push", reference.FamiliarString, new Dictionary<string, string> { ["name"] = reference.FamiliarString });
        }, cancellationToken);

    public async Task<IReadOnlyList<ImageSummary>> ListAsync(ImageListOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (string key in options.Filters.Keys)
        {
            if (key is not ("dangling" or "label" or "reference" or "before" or "since"))
            {
                throw Errors.InvalidArgument($"invalid filter '{key}'");
            }
        }

        IReadOnlyList<ImageRecord> all = await Images.ListAsync(cancellationToken);
        DateTimeOffset? before = await CreatedOfAsync(options.Filters.Get("before"), cancellationToken);
        DateTimeOffset? since = await CreatedOfAsync(options.Filters.Get("since"), cancellationToken);
        return all.Where(i => ImageFilters.Matches(i, options.Filters, before, since))
            .OrderByDescending(i => i.Created)
            .Select(ImageMapper.ToSummary)
            .ToList();
    }

    public async Task<ImageInspectResponse> InspectAsync(string name, CancellationToken cancellationToken)
    {
        ImageRecord image = await Images.GetAsync(name, cancellationToken);
        return ImageMapper.ToInspect(image, await GraphDriverAsync(image, cancellationToken));
    }

    public async Task<IReadOnlyList<ImageHistoryItem>> HistoryAsync(string name, CancellationToken cancellationToken)
    {
        ImageRecord image = await Images.GetAsync(name, cancellationToken);
        var sizes = new List<long>();
        foreach (Digest chainId in ChainIds.Compute(image.DiffIds))
        {
            sizes.Add(await Snapshots.StatAsync(chainId.ToString(), cancellationToken) is null
                ? 0
                : (await Snapshots.UsageAsync(chainId.ToString(), cancellationToken)).Size);
        }

        return ImageMapper.ToHistory(image, sizes);
    }

    public async Task TagAsync(string source, ImageReference target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await Images.TagAsync(source, target.ToString(), cancellationToken);
        ImageRecord image = await Images.GetAsync(target.ToString(), cancellationToken);
        _events.Publish(ImageEvent, "tag", image.Id.ToString(), new Dictionary<string, string> { ["name"] = target.FamiliarString });
    }

    public async Task<IReadOnlyList<ImageDeleteResponseItem>> DeleteAsync(string name, bool force, bool noPrune, CancellationToken cancellationToken)
    {
        IReadOnlyList<ImageRemoval> removals = await Images.RemoveAsync(name, force, noPrune, cancellationToken);
        PublishRemovals(removals);
        if (!noPrune && removals.Any(r => r.Deleted is not null))
        {
            await CollectGarbageAsync(cancellationToken);
        }

        return removals.Select(ImageMapper.ToDeleteItem).ToList();
    }

    public async Task<ImagePruneResponse> PruneAsync(FilterSet filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Get("dangling") is [var dangling] && dangling is "false" or "0")
        {
            throw Errors.NotImplemented("pruning tagged images (dangling=false) is not supported yet");
        }

        IReadOnlyList<ImageRemoval> removals = await Images.PruneDanglingAsync(cancellationToken);
        PublishRemovals(removals);
        long reclaimed = removals.Count > 0 ? await CollectGarbageAsync(cancellationToken) : 0;
        return new ImagePruneResponse
        {
            ImagesDeleted = removals.Count > 0 ? removals.Select(ImageMapper.ToDeleteItem).ToList() : null,
            SpaceReclaimed = reclaimed,
        };
    }

    public async Task SaveAsync(IReadOnlyList<string> names, Stream output, CancellationToken cancellationToken)
    {
        await new ImageArchiveWriter(Content, Images, _scratch).SaveAsync(names, output, cancellationToken);
        foreach (string name in names)
        {
            _events.Publish(ImageEvent, "save", name, new Dictionary<string, string> { ["name"] = name });
        }
    }

    public IAsyncEnumerable<ProgressEvent> LoadAsync(Stream input, CancellationToken cancellationToken) =>
        ProgressChannel.RunAsync(async (progress, ct) =>
        {
            using WriteScope writing = BeginWrite();
            IReadOnlyList<ImageRecord> loaded = await new ImageArchiveLoader(Content, Snapshots, Images, _scratch).LoadAsync(input, progress, ct);
            foreach (ImageRecord image in loaded)
            {
                _events.Publish(ImageEvent, "load", image.Id.ToString(), new Dictionary<string, string> { ["name"] = image.RepoTags.Count > 0 ? image.RepoTags[0] : image.Id.ToString() });
            }
        }, cancellationToken);

    public async Task<AuthResponse> LoginAsync(AuthConfig auth, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auth);
        string host = LoginHost(auth.ServerAddress);
        using RegistryClient client = ClientFor(auth) ?? throw Errors.InvalidArgument("login requires a username and password");
        try
        {
            await client.PingAsync(host, cancellationToken);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.PermissionDenied)
        {
            string message = e.Message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
                ? e.Message[e.Message.IndexOf("unauthorized", StringComparison.OrdinalIgnoreCase)..]
                : $"login attempt to {client.BaseUri(host)} failed with status: 401 Unauthorized";
            throw new BerthException(ErrorKind.PermissionDenied, message, e);
        }

        return new AuthResponse { Status = "Login Succeeded" };
    }

    public void Dispose()
    {
        _anonymous.Dispose();
        (Images as IDisposable)?.Dispose();
    }

    /// <summary>docker login's server address as a registry host: Docker Hub's index URL is docker.io's API host.</summary>
    internal static string LoginHost(string? serverAddress)
    {
        if (string.IsNullOrWhiteSpace(serverAddress))
        {
            return ImageReference.DockerHubApiHost;
        }

        string host = serverAddress.Trim();
        int scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        int slash = host.IndexOf('/', StringComparison.Ordinal);
        host = slash >= 0 ? host[..slash] : host;
        return host is "index.docker.io" or "docker.io" or ImageReference.DockerHub ? ImageReference.DockerHubApiHost : host;
    }

    private RegistryClient? ClientFor(AuthConfig? auth) =>
        AuthConfigCredentials.From(auth) is { } credentials ? new RegistryClient(_registryOptions with { Credentials = credentials }) : null;

    private async Task<DateTimeOffset?> CreatedOfAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        names.Count == 0 ? null : (await Images.GetAsync(names[0], cancellationToken)).Created ?? DateTimeOffset.UnixEpoch;

    private async Task<GraphDriverData> GraphDriverAsync(ImageRecord image, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (image.ChainId is { } chainId && await Snapshots.StatAsync(chainId, cancellationToken) is not null)
        {
            // A view's mounts name the layer directories without creating anything that needs cleaning up.
            string key = $"inspect-{Guid.NewGuid():N}";
            IReadOnlyList<Core.Mounts.Mount> mounts = await Snapshots.ViewAsync(key, chainId, null, cancellationToken);
            try
            {
                foreach (string option in mounts.SelectMany(m => m.Options))
                {
                    if (option.StartsWith("lowerdir=", StringComparison.Ordinal))
                    {
                        string[] lower = option["lowerdir=".Length..].Split(':');
                        data["UpperDir"] = lower[0];
                        data["WorkDir"] = Path.Combine(Path.GetDirectoryName(lower[0]) ?? lower[0], "work");
                        if (lower.Length > 1)
                        {
                            data["LowerDir"] = string.Join(':', lower[1..]);
                        }
                    }
                }

                if (mounts is [{ Type: "bind" } bind])
                {
                    data["UpperDir"] = bind.Source;
                }
            }
            finally
            {
                await Snapshots.RemoveAsync(key, CancellationToken.None);
            }
        }

        return new GraphDriverData { Name = _graphDriver, Data = data };
    }

    private void PublishRemovals(IReadOnlyList<ImageRemoval> removals)
    {
        foreach (ImageRemoval removal in removals)
        {
            if (removal.Untagged is { } untagged)
            {
                _events.Publish(ImageEvent, "untag", untagged, new Dictionary<string, string> { ["name"] = untagged });
            }

            if (removal.Deleted is { } deleted)
            {
                _events.Publish(ImageEvent, "delete", deleted, new Dictionary<string, string> { ["name"] = deleted });
            }
        }
    }

    /// <summary>Sweeps blobs and snapshots no image references, unless a pull or load is writing.</summary>
    private async Task<long> CollectGarbageAsync(CancellationToken cancellationToken)
    {
        // A container removed a moment ago may still hold its snapshot on top of a layer this would sweep.
        if (_containerRemovals is not null)
        {
            await _containerRemovals.SettledAsync();
        }

        lock (_writersGate)
        {
            if (_writers > 0)
            {
                return 0;
            }

            _writers = -1;
        }

        try
        {
            GarbageCollectionResult result = await new ImageGarbageCollector(Images, Content, Snapshots).CollectAsync(null, cancellationToken);
            return result.BlobBytes;
        }
        finally
        {
            lock (_writersGate)
            {
                _writers = 0;
            }
        }
    }

    /// <summary>Marks a pull or load as writing; it waits while a collection runs.</summary>
    private WriteScope BeginWrite()
    {
        while (true)
        {
            lock (_writersGate)
            {
                if (_writers >= 0)
                {
                    _writers++;
                    return new WriteScope(this);
                }
            }

            Thread.Sleep(10);
        }
    }

    private sealed class WriteScope(ImageBackend owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lock (owner._writersGate)
                {
                    owner._writers--;
                }
            }
        }
    }
}
