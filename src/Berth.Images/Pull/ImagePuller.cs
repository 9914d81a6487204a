using System.Text.Json;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Snapshots;
using Berth.Images.Layers;
using Berth.Registry;
using Berth.Registry.Manifests;

namespace Berth.Images.Pull;

/// <summary>
/// <c>docker pull</c>: resolves a reference to the manifest for a platform, stores manifest and config, downloads
/// layers in parallel into the content store (each verified at commit) and unpacks them in order into snapshots
/// committed under their chain IDs, then records the image. A layer whose chain ID is already committed is not
/// downloaded ("Already exists"). Progress follows Docker's JSON message stream.
/// </summary>
public sealed class ImagePuller
{
    private readonly RegistryClient _registry;
    private readonly IContentStore _content;
    private readonly ISnapshotter _snapshots;
    private readonly IImageStore _images;
    private readonly LayerUnpacker _unpacker;
    private readonly ImagePullerOptions _options;
    private readonly LayerDownloader _downloader;
    private readonly TimeProvider _time;

    internal ImagePuller(
        RegistryClient registry, IContentStore content, ISnapshotter snapshots, IImageStore images,
        ImagePullerOptions? options = null, LayerApplier? applier = null, TimeProvider? time = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _content = content ?? throw new ArgumentNullException(nameof(content));
        _snapshots = snapshots ?? throw new ArgumentNullException(nameof(snapshots));
        _images = images ?? throw new ArgumentNullException(nameof(images));
        _options = options ?? new ImagePullerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentDownloads, 1);
        _unpacker = new LayerUnpacker(_content, _snapshots, applier ?? new LayerApplier());
        _time = time ?? TimeProvider.System;
        _downloader = new LayerDownloader(_registry, _content, _options);
    }

    /// <summary>
    /// Pulls <paramref name="reference"/> (normalized, <c>:latest</c> when it has neither tag nor digest) for
    /// <paramref name="platform"/> (the host's when null) and returns the stored image. Cancellation leaves no
    /// snapshot or blob behind (an unfinished download stays as an ingest to resume).
    /// </summary>
    public async Task<ImageRecord> PullAsync(
        ImageReference reference, Platform? platform = null, IProgress<Core.Progress.ProgressEvent>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Tag is null && reference.Digest is null)
        {
            reference = reference.WithTag(ImageReference.DefaultTag);
        }

        var report = new PullProgress(progress);
        (ImageReference source, ResolvedImage resolved) = await ResolveAsync(reference, platform, cancellationToken);
        report.Report(reference.Tag ?? reference.Digest.ToString(), $"Pulling from {reference.Repository}");

        Descriptor configDescriptor = resolved.Parsed.Config.ToDescriptor();
        byte[] configBytes = await _registry.GetBlobBytesAsync(source, configDescriptor, cancellationToken: cancellationToken);
        ImageConfigFile config = ParseConfig(configBytes, reference.FamiliarString);
        var layers = resolved.Parsed.Layers.Select(l => l.ToDescriptor()).ToList();
        List<Digest> diffIds = ParseDiffIds(config, layers.Count, reference.FamiliarString);
        IReadOnlyList<Digest> chainIds = ChainIds.Compute(diffIds);

        bool downloadedAny = await PullLayersAsync(source, layers, diffIds, chainIds, report, cancellationToken);

        // Metadata last: an image in the store always has its layers.
        await _content.WriteBlobAsync(configDescriptor, configBytes, cancellationToken);
        await _content.WriteBlobAsync(resolved.Manifest.Descriptor, resolved.Manifest.Content, cancellationToken);
        if (resolved.Target.Digest != resolved.Manifest.Descriptor.Digest)
        {
            await _content.WriteBlobAsync(resolved.Target, resolved.TargetContent, cancellationToken);
        }

        ImageRecord? before = await _images.FindAsync(reference.ToString(), cancellationToken);
        long size = layers.Count == 0 ? 0 : await _unpacker.UnpackedSizeAsync(chainIds, cancellationToken);
        ImageRecord image = ImageRecords.From(
            configDescriptor.Digest, resolved.Manifest.Descriptor.Digest, resolved.Target.Digest, layers, config, diffIds, size,
            before?.Id == configDescriptor.Digest ? before.Pulled : _time.GetUtcNow());
        string repoDigest = $"{reference.FamiliarName}@{resolved.Target.Digest}";
        image = await _images.AddAsync(image, reference.Tag is null ? null : reference, repoDigest, cancellationToken);

        report.Report(null, $"Digest: {resolved.Target.Digest}");
        bool upToDate = !downloadedAny && before?.Id == image.Id;
        report.Report(null, upToDate
            ? $"Status: Image is up to date for {reference.FamiliarString}"
            : $"Status: Downloaded newer image for {reference.FamiliarString}");
        return image;
    }

    /// <summary>Tries the configured mirrors for docker.io references, then the registry itself.</summary>
    private async Task<(ImageReference Source, ResolvedImage Resolved)> ResolveAsync(
        ImageReference reference, Platform? platform, CancellationToken cancellationToken)
    {
        if (reference.Registry == ImageReference.DockerHub)
        {
            foreach (Uri mirror in _options.RegistryMirrors)
            {
                ImageReference mirrored = Rehost(reference, mirror.Authority);
                try
                {
                    return (mirrored, await _registry.ResolveAsync(mirrored, platform, cancellationToken));
                }
                catch (BerthException e) when (e.Kind is not ErrorKind.Canceled && !cancellationToken.IsCancellationRequested)
                {
                    // Docker falls back to the next endpoint on any mirror failure.
                }
            }
        }

        return (reference, await _registry.ResolveAsync(reference, platform, cancellationToken));
    }

    private static ImageReference Rehost(ImageReference reference, string host)
    {
        ImageReference moved = ImageReference.ParseNamed($"{host}/{reference.Repository}");
        if (reference.Tag is { } tag)
        {
            moved = moved.WithTag(tag);
        }

        return reference.Digest is { } digest ? moved.WithDigest(digest) : moved;
    }

    private async Task<bool> PullLayersAsync(
        ImageReference source, List<Descriptor> layers, List<Digest> diffIds, IReadOnlyList<Digest> chainIds,
        PullProgress report, CancellationToken cancellationToken)
    {
        // A committed chain ID holds every layer below it too, so only the layers above the highest one present
        // need pulling.
        int firstMissing = await _unpacker.FirstMissingAsync(chainIds, cancellationToken);
        for (int i = 0; i < layers.Count; i++)
        {
            report.Report(ShortId(layers[i].Digest), i < firstMissing ? "Already exists" : "Pulling fs layer");
        }

        if (firstMissing >= layers.Count)
        {
            return false;
        }

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(_options.MaxConcurrentDownloads);
        var downloads = new Task[layers.Count];
        for (int i = firstMissing; i < layers.Count; i++)
        {
            downloads[i] = DownloadLayerAsync(source, layers[i], slots, report, failed);
        }

        try
        {
            for (int i = firstMissing; i < layers.Count; i++)
            {
                await downloads[i];
                await ApplyLayerAsync(layers[i], diffIds[i], i == 0 ? null : chainIds[i - 1].ToString(), chainIds[i].ToString(), report, failed.Token);
            }
        }
        catch (Exception first)
        {
            await failed.CancelAsync();
            Task[] started = downloads.Where(d => d is not null).ToArray();
            await Task.WhenAll(started).ContinueWith(
                _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            // An apply cancelled because a later download failed reports that failure, not the cancellation.
            if (first is OperationCanceledException && !cancellationToken.IsCancellationRequested &&
                started.Select(d => d.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } cause)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }

        return true;
    }

    private async Task DownloadLayerAsync(
        ImageReference source, Descriptor layer, SemaphoreSlim slots, PullProgress report, CancellationTokenSource failed)
    {
        string id = ShortId(layer.Digest);
        await Task.Yield();
        if (!slots.Wait(0))
        {
            report.Report(id, "Waiting");
            await slots.WaitAsync(failed.Token);
        }

        try
        {
            await _downloader.DownloadAsync(source, layer, id, report, failed.Token);
            report.Report(id, "Download complete");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await failed.CancelAsync();
            throw Errors.Wrap(ex, $"pulling layer {layer.Digest}");
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task ApplyLayerAsync(
        Descriptor layer, Digest diffId, string? parent, string chainId, PullProgress report, CancellationToken cancellationToken)
    {
        string id = ShortId(layer.Digest);
        await _unpacker.UnpackAsync(layer, diffId, parent, chainId, n => report.Report(id, "Extracting", n, layer.Size), cancellationToken);
        report.Report(id, "Pull complete");
    }

    internal static ImageConfigFile ParseConfig(byte[] bytes, string subject)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.ImageConfigFile)
                   ?? throw Errors.InvalidArgument($"{subject}: empty image config");
        }
        catch (JsonException ex)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"{subject}: invalid image config: {ex.Message}", ex);
        }
    }

    internal static List<Digest> ParseDiffIds(ImageConfigFile config, int layerCount, string subject)
    {
        if (config.RootFS.DiffIds.Count != layerCount)
        {
            throw Errors.InvalidArgument(
                $"{subject}: the manifest has {layerCount} layers but the config {config.RootFS.DiffIds.Count} diff IDs");
        }

        return config.RootFS.DiffIds.Select(d => Digest.TryParse(d, out Digest digest)
            ? digest
            : throw Errors.InvalidArgument($"{subject}: invalid diff ID \"{d}\"")).ToList();
    }

    internal static string ShortId(Digest digest) => digest.Encoded[..Math.Min(12, digest.Encoded.Length)];
}
