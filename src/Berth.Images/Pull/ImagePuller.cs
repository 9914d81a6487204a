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

        // Metadata last: an image in the store always has its layers.
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
    /// One layer: download (in a slot) and unpack on the parent's snapshot. When the parent is already committed as
    /// the download starts, the layer is unpacked from the download stream itself (a tee), so unpacking overlaps the
    /// transfer; otherwise it downloads ahead into the store and unpacks from there once the parent is committed.
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

            bool unpacked;
            try
            {
                unpacked = parentDone.IsCompletedSuccessfully && _options.UnpackWhileDownloading &&
                           await TryStreamLayerAsync(job, id, report, token);
                if (!unpacked)
                {
                    await _downloader.DownloadAsync(job.Source, job.Layer, id, report, token);
                    report.Report(id, "Download complete");
                }
            }
            finally
            {
                slots.Release();
            }

            if (!unpacked)
            {
                await parentDone;
                await ApplyLayerAsync(job, id, report, token);
            }

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

    /// <summary>Downloads and unpacks at once. True when the layer's snapshot is committed; false when the unpack
    /// could not keep up with the stream (the caller then finishes the download and unpacks from the store).</summary>
    private async Task<bool> TryStreamLayerAsync(LayerJob job, string id, PullProgress report, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: StreamBufferBytes, resumeWriterThreshold: StreamBufferBytes / 2, useSynchronizationContext: false));
        string key = ExtractKey(job.ChainId);
        IReadOnlyList<Core.Mounts.Mount> mounts = await _snapshots.PrepareAsync(key, job.Parent, null, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<LayerApplyResult> apply = Task.Run(
            async () =>
            {
                try
                {
                    await using Stream raw = pipe.Reader.AsStream();
                    return await UnpackAsync(raw, SnapshotApplyTarget.From(mounts), job.Layer, id, report, stop.Token);
                }
                catch
                {
                    await pipe.Reader.CompleteAsync();
                    throw;
                }
            },
            CancellationToken.None);
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
        LayerApplyResult result;
        try
        {
            result = await apply;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The blob is in the store now: unpacking from there says whether the layer itself is bad.
            await RemoveQuietlyAsync(key);
            return false;
        }

        await CommitLayerAsync(job, key, result);
        return true;
    }

    private async Task ApplyLayerAsync(LayerJob job, string id, PullProgress report, CancellationToken cancellationToken)
    {
        string key = ExtractKey(job.ChainId);
        IReadOnlyList<Core.Mounts.Mount> mounts = await _snapshots.PrepareAsync(key, job.Parent, null, cancellationToken);
        LayerApplyResult result;
        try
        {
            await using Stream blob = await _content.OpenReadAsync(job.Layer.Digest, cancellationToken);
            result = await UnpackAsync(blob, SnapshotApplyTarget.From(mounts), job.Layer, id, report, cancellationToken);
        }
        catch
        {
            await RemoveQuietlyAsync(key);
            throw;
        }

        await CommitLayerAsync(job, key, result);
    }

    private async Task<LayerApplyResult> UnpackAsync(
        Stream compressed, SnapshotApplyTarget target, Descriptor layer, string id, PullProgress report, CancellationToken cancellationToken)
    {
        await using var counted = new ProgressReadStream(compressed, ExtractProgressStep, n => report.Report(id, "Extracting", n, layer.Size));
        await using Stream tar = LayerMediaTypes.Decompress(counted, layer.MediaType);
        return await _applier.ApplyAsync(tar, target, cancellationToken);
    }

    /// <summary>Commits the unpacked layer under its chain ID once its diff ID matches the config; removes it otherwise.</summary>
    private async Task CommitLayerAsync(LayerJob job, string key, LayerApplyResult result)
    {
        try
        {
            if (result.DiffId != job.DiffId)
            {
                throw Errors.FailedPrecondition(
                    $"layer {job.Layer.Digest}: unpacked content {result.DiffId} does not match the image config's diff ID {job.DiffId}");
            }

            try
            {
                // Not cancellable: the layer is complete and verified, and committing it is quick.
                await _snapshots.CommitAsync(job.ChainId, key, null, CancellationToken.None);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
            {
                // Another pull committed the same layer stack meanwhile: the same content by definition.
                await RemoveQuietlyAsync(key);
            }
        }
        catch
        {
            await RemoveQuietlyAsync(key);
            throw;
        }
    }

    private const string UnpackKeyPrefix = "extract-";

    /// <summary>Whether an active snapshot is one a pull unpacks a layer into (left behind if the pull was killed).</summary>
    public static bool IsUnpackKey(string key) => key?.StartsWith(UnpackKeyPrefix, StringComparison.Ordinal) == true;

    private static string ExtractKey(string chainId) => $"{UnpackKeyPrefix}{Guid.NewGuid():N}-{chainId}";

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
