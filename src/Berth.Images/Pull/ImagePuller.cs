using System.IO.Pipelines;
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
    private const long ExtractProgressStep = 512 * 1024;

    // How far a download may run ahead of the unpack reading the same stream before it waits.
    private const int StreamBufferBytes = 16 << 20;

    private readonly RegistryClient _registry;
    private readonly IContentStore _content;
    private readonly ISnapshotter _snapshots;
    private readonly IImageStore _images;
    private readonly LayerApplier _applier;
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
        _applier = applier ?? new LayerApplier();
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

        // Metadata last: an image in the store always has its layers, and a failed pull stores no manifest or config.
        await _content.WriteBlobAsync(configDescriptor, configBytes, cancellationToken);
        await _content.WriteBlobAsync(resolved.Manifest.Descriptor, resolved.Manifest.Content, cancellationToken);
        if (resolved.Target.Digest != resolved.Manifest.Descriptor.Digest)
        {
            await _content.WriteBlobAsync(resolved.Target, resolved.TargetContent, cancellationToken);
        }

        ImageRecord? before = await _images.FindAsync(reference.ToString(), cancellationToken);
        long size = layers.Count == 0 ? 0 : await LayerUnpacker.UnpackedSizeAsync(_snapshots, chainIds, cancellationToken);
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
        int firstMissing = 0;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            if (await _snapshots.StatAsync(chainIds[i].ToString(), cancellationToken) is { Kind: SnapshotKind.Committed })
            {
                firstMissing = i + 1;
                break;
            }
        }

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
        var layerTasks = new List<Task>();
        Task parentDone = Task.CompletedTask;
        for (int i = firstMissing; i < layers.Count; i++)
        {
            var job = new LayerJob(source, layers[i], diffIds[i], i == 0 ? null : chainIds[i - 1].ToString(), chainIds[i].ToString());
            parentDone = PullLayerAsync(job, parentDone, slots, report, failed);
            layerTasks.Add(parentDone);
        }

        try
        {
            await Task.WhenAll(layerTasks);
        }
        catch
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The first real failure, not the cancellations it caused in the other layers.
            Exception cause = layerTasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException)
                              ?? layerTasks.First(t => t.IsFaulted || t.IsCanceled).Exception?.InnerException
                              ?? new OperationCanceledException();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
        }

        return true;
    }

    /// <summary>
    /// One layer: download (in a slot), unpack, commit after the parent. The layer is unpacked from the download
    /// stream itself (a tee), so unpacking overlaps the transfer, when it has somewhere to go: on its parent once that
    /// is committed, or, with an <see cref="IRebasingSnapshotter"/> (overlay), at once in a snapshot of its own that is
    /// rebased onto the parent when that is committed, so all layers unpack in parallel and only commits follow the
    /// chain. Otherwise, or when the streamed unpack fails, it downloads into the store and unpacks from there.
    /// </summary>
    private async Task PullLayerAsync(LayerJob job, Task parentDone, SemaphoreSlim slots, PullProgress report, CancellationTokenSource failed)
    {
        string id = ShortId(job.Layer.Digest);
        CancellationToken token = failed.Token;
        try
        {
            await Task.Yield();
            if (!slots.Wait(0))
            {
                report.Report(id, "Waiting");
                await slots.WaitAsync(token);
            }

            UnpackedLayer? unpacked = null;
            try
            {
                if (_options.UnpackWhileDownloading && (parentDone.IsCompletedSuccessfully || _snapshots is IRebasingSnapshotter))
                {
                    unpacked = await TryStreamLayerAsync(job, Detached(parentDone), id, report, token);
                }

                if (unpacked is null)
                {
                    await _downloader.DownloadAsync(job.Source, job.Layer, id, report, token);
                    report.Report(id, "Download complete");
                }
            }
            finally
            {
                slots.Release();
            }

            if (unpacked is null)
            {
                if (_snapshots is not IRebasingSnapshotter)
                {
                    await parentDone;
                }

                unpacked = await ApplyLayerAsync(job, Detached(parentDone), id, report, token);
            }

            await CommitLayerAsync(job, unpacked, parentDone, token);
            report.Report(id, "Pull complete");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await failed.CancelAsync();
            throw ex is BerthException { Kind: ErrorKind.FailedPrecondition } && ex.Message.Contains("diff ID", StringComparison.Ordinal)
                ? ex
                : Errors.Wrap(ex, $"pulling layer {job.Layer.Digest}");
        }
    }

    /// <summary>Whether the layer goes into a snapshot of its own, rebased later: its parent is not committed yet.</summary>
    private bool Detached(Task parentDone) => !parentDone.IsCompletedSuccessfully && _snapshots is IRebasingSnapshotter;

    /// <summary>Downloads and unpacks at once. Null when the unpack failed (the blob is in the store then, and the
    /// caller unpacks from there, which tells whether the layer itself is bad).</summary>
    private async Task<UnpackedLayer?> TryStreamLayerAsync(LayerJob job, bool detached, string id, PullProgress report, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: StreamBufferBytes, resumeWriterThreshold: StreamBufferBytes / 2, useSynchronizationContext: false));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The transfer starts first: preparing the snapshot waits for durable metadata writes, the pipe buffers meanwhile.
        Task download = Task.Run(
            async () =>
            {
                try
                {
                    await _downloader.DownloadAsync(job.Source, job.Layer, id, report, stop.Token, pipe.Writer);
                    await pipe.Writer.CompleteAsync();
                }
                catch (Exception ex)
                {
                    await pipe.Writer.CompleteAsync(ex);
                    throw;
                }
            },
            CancellationToken.None);
        string key;
        Task<LayerApplyResult> apply;
        try
        {
            (key, SnapshotApplyTarget target) = await PrepareLayerAsync(job, detached, cancellationToken);
            apply = Task.Run(
                async () =>
                {
                    try
                    {
                        await using Stream raw = pipe.Reader.AsStream();
                        return await UnpackAsync(raw, target, job.Layer, id, report, stop.Token);
                    }
                    catch
                    {
                        await pipe.Reader.CompleteAsync();
                        throw;
                    }
                },
                CancellationToken.None);
        }
        catch
        {
            await stop.CancelAsync();
            await pipe.Reader.CompleteAsync();
            await download.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        try
        {
            await download;
        }
        catch
        {
            await stop.CancelAsync();
            await apply.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await RemoveQuietlyAsync(key);
            throw;
        }

        report.Report(id, "Download complete");
        try
        {
            return new UnpackedLayer(key, detached, await apply);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RemoveQuietlyAsync(key);
            return null;
        }
    }

    private async Task<UnpackedLayer> ApplyLayerAsync(LayerJob job, bool detached, string id, PullProgress report, CancellationToken cancellationToken)
    {
        (string key, SnapshotApplyTarget target) = await PrepareLayerAsync(job, detached, cancellationToken);
        try
        {
            await using Stream blob = await _content.OpenReadAsync(job.Layer.Digest, cancellationToken);
            return new UnpackedLayer(key, detached, await UnpackAsync(blob, target, job.Layer, id, report, cancellationToken));
        }
        catch
        {
            await RemoveQuietlyAsync(key);
            throw;
        }
    }

    /// <summary>The snapshot a layer is unpacked into: on its parent, or detached (no parent yet, overlay whiteouts,
    /// the lowers' directory metadata left for after the rebase).</summary>
    private async Task<(string Key, SnapshotApplyTarget Target)> PrepareLayerAsync(LayerJob job, bool detached, CancellationToken cancellationToken)
    {
        string key = ExtractKey(job.ChainId);
        IReadOnlyList<Core.Mounts.Mount> mounts = await _snapshots.PrepareAsync(key, detached ? null : job.Parent, null, cancellationToken);
        SnapshotApplyTarget target = SnapshotApplyTarget.From(mounts);
        return (key, detached ? target with { Mode = WhiteoutMode.Overlay, LowerPending = true } : target);
    }

    private async Task<LayerApplyResult> UnpackAsync(
        Stream compressed, SnapshotApplyTarget target, Descriptor layer, string id, PullProgress report, CancellationToken cancellationToken)
    {
        await using var counted = new ProgressReadStream(compressed, ExtractProgressStep, n => report.Report(id, "Extracting", n, layer.Size));
        await using Stream tar = LayerMediaTypes.Decompress(counted, layer.MediaType);
        return await _applier.ApplyAsync(tar, target, cancellationToken);
    }

    /// <summary>
    /// Commits the unpacked layer under its chain ID once its diff ID matches the config and its parent is committed
    /// (a detached layer is rebased onto the parent first); removes it otherwise.
    /// </summary>
    private async Task CommitLayerAsync(LayerJob job, UnpackedLayer layer, Task parentDone, CancellationToken cancellationToken)
    {
        try
        {
            if (layer.Result.DiffId != job.DiffId)
            {
                throw Errors.FailedPrecondition(
                    $"layer {job.Layer.Digest}: unpacked content {layer.Result.DiffId} does not match the image config's diff ID {job.DiffId}");
            }

            await parentDone;
            if (layer.Detached)
            {
                IReadOnlyList<Core.Mounts.Mount> mounts =
                    await ((IRebasingSnapshotter)_snapshots).RebaseAsync(layer.Key, job.Parent!, cancellationToken);
                _applier.InheritPendingDirectories(SnapshotApplyTarget.From(mounts), layer.Result.PendingDirectories);
            }

            try
            {
                // Not cancellable: the layer is complete and verified, and committing it is quick.
                await _snapshots.CommitAsync(job.ChainId, layer.Key, null, CancellationToken.None);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
            {
                // Another pull committed the same layer stack meanwhile: the same content by definition.
                await RemoveQuietlyAsync(layer.Key);
            }
        }
        catch
        {
            await RemoveQuietlyAsync(layer.Key);
            throw;
        }
    }

    private const string UnpackKeyPrefix = "extract-";

    /// <summary>Whether an active snapshot is one a pull unpacks a layer into (left behind if the pull was killed).</summary>
    public static bool IsUnpackKey(string key) => key?.StartsWith(UnpackKeyPrefix, StringComparison.Ordinal) == true;

    /// <summary>A fresh key for a snapshot that is filled and then committed as <paramref name="name"/>: one that a
    /// killed daemon left behind is collected with the pulls' (<see cref="IsUnpackKey"/>).</summary>
    public static string ExtractKey(string name) => $"{UnpackKeyPrefix}{Guid.NewGuid():N}-{name}";

    private async Task RemoveQuietlyAsync(string key)
    {
        try
        {
            await _snapshots.RemoveAsync(key, CancellationToken.None);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
        }
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
