using System.Text.Json;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Images.Pull;
using Berth.Registry;
using Berth.Registry.Manifests;

namespace Berth.Images.Push;

/// <summary>
/// <c>docker push</c>: uploads an image's layers (skipping those the repository has, mounting those another
/// repository of the same registry has), its config, then its manifest with the exact stored bytes, so the registry
/// serves the same digest the image store records. Progress follows Docker's JSON message stream.
/// </summary>
public sealed class ImagePusher
{
    private readonly RegistryClient _registry;
    private readonly IContentProvider _content;
    private readonly IImageStore _images;
    private readonly ImagePusherOptions _options;

    internal ImagePusher(RegistryClient registry, IContentProvider content, IImageStore images, ImagePusherOptions? options = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _content = content ?? throw new ArgumentNullException(nameof(content));
        _images = images ?? throw new ArgumentNullException(nameof(images));
        _options = options ?? new ImagePusherOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentUploads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ChunkSize, 1);
    }

    /// <summary>
    /// Pushes the local image <paramref name="reference"/> (a tag; <c>:latest</c> when none) to its registry and
    /// returns the pushed manifest's digest. NotFound "An image does not exist locally with the tag: x" when the
    /// store has no such tag.
    /// </summary>
    public async Task<Digest> PushAsync(ImageReference reference, IProgress<ProgressEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Digest is not null)
        {
            throw Errors.InvalidArgument($"cannot push a digest reference: {reference.FamiliarString}");
        }

        reference = reference.Tag is null ? reference.WithTag(ImageReference.DefaultTag) : reference;
        var report = new PullProgress(progress);
        ImageRecord image = await _images.FindAsync(reference.ToString(), cancellationToken)
            ?? throw Errors.NotFound($"An image does not exist locally with the tag: {reference.FamiliarName}");
        report.Report(null, $"The push refers to repository [{reference.FamiliarName}]");

        byte[] manifestBytes = await ReadBlobAsync(image.ManifestDigest, cancellationToken);
        string mediaType = RegistryClient.SniffMediaType(manifestBytes, reference);
        OciManifest manifest = JsonSerializer.Deserialize(manifestBytes, RegistryJsonContext.Default.OciManifest)
            ?? throw Errors.Internal($"manifest {image.ManifestDigest} is empty");
        var layers = manifest.Layers.Select(l => l.ToDescriptor()).ToList();
        List<string> sources = MountSources(image, reference);

        await PushLayersAsync(reference, image, layers, sources, report, cancellationToken);
        Descriptor config = manifest.Config.ToDescriptor();
        if (!await _registry.BlobExistsAsync(reference, config.Digest, cancellationToken))
        {
            await _registry.UploadBlobAsync(reference, config, ct => _content.OpenReadAsync(config.Digest, ct), _options.ChunkSize, null, cancellationToken);
        }

        Digest digest = await _registry.PutManifestAsync(reference, reference.Tag!, mediaType, manifestBytes, cancellationToken);
        await _images.AddAsync(image, null, $"{reference.FamiliarName}@{digest}", cancellationToken);
        report.Report(null, $"{reference.Tag}: digest: {digest} size: {manifestBytes.Length}");
        return digest;
    }

    /// <summary>Other repositories of the same registry this image came from or went to: candidates for a mount.</summary>
    private static List<string> MountSources(ImageRecord image, ImageReference target) =>
        image.RepoDigests.Concat(image.RepoTags)
            .Select(r => ImageReference.TryParse(r, out ImageReference? parsed) ? parsed : null)
            .OfType<ImageReference>()
            .Where(r => r.Registry == target.Registry && r.Repository != target.Repository)
            .Select(r => r.Repository)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private async Task PushLayersAsync(
        ImageReference target, ImageRecord image, List<Descriptor> layers, List<string> sources, PullProgress report, CancellationToken cancellationToken)
    {
        var ids = new string[layers.Count];
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            // Docker names push lines by diff ID, top layer first.
            ids[i] = ImagePuller.ShortId(i < image.DiffIds.Count ? image.DiffIds[i] : layers[i].Digest);
            report.Report(ids[i], "Preparing");
        }

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(_options.MaxConcurrentUploads);
        var uploads = new List<Task>();
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            uploads.Add(PushLayerAsync(target, layers[i], ids[i], sources, slots, report, failed));
        }

        try
        {
            await Task.WhenAll(uploads);
        }
        catch
        {
            Exception? cause = uploads.Select(u => u.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (cause is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }
    }

    private async Task PushLayerAsync(
        ImageReference target, Descriptor layer, string id, List<string> sources, SemaphoreSlim slots, PullProgress report,
        CancellationTokenSource failed)
    {
        await Task.Yield();
        if (!slots.Wait(0))
        {
            report.Report(id, "Waiting");
            await slots.WaitAsync(failed.Token);
        }

        try
        {
            if (await _registry.BlobExistsAsync(target, layer.Digest, failed.Token))
            {
                report.Report(id, "Layer already exists");
                return;
            }

            foreach (string source in sources)
            {
                if (await _registry.MountBlobAsync(target, layer.Digest, source, failed.Token))
                {
                    report.Report(id, $"Mounted from {source}");
                    return;
                }
            }

            report.Report(id, "Pushing", 0, layer.Size);
            await _registry.UploadBlobAsync(
                target, layer, ct => _content.OpenReadAsync(layer.Digest, ct), _options.ChunkSize,
                n => report.Report(id, "Pushing", n, layer.Size), failed.Token);
            report.Report(id, "Pushed");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await failed.CancelAsync();
            throw Errors.Wrap(ex, $"pushing layer {layer.Digest}");
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<byte[]> ReadBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using Stream stream = await _content.OpenReadAsync(digest, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
