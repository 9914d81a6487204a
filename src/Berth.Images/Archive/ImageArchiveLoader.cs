using System.Formats.Tar;
using System.Text.Json;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Core.Snapshots;
using Berth.Images.Layers;
using Berth.Images.Pull;
using Berth.Registry;
using Berth.Registry.Manifests;

namespace Berth.Images.Archive;

/// <summary>
/// <c>docker load</c>: reads a docker-archive (<c>manifest.json</c> with <c>&lt;id&gt;/layer.tar</c> or
/// <c>blobs/sha256/…</c> paths) or an OCI image layout tar (<c>index.json</c>), puts its blobs into the content store
/// (verified), unpacks its layers into chain-ID snapshots the way a pull does, and records the images and their tags.
/// </summary>
public sealed class ImageArchiveLoader
{
    private readonly IContentStore _content;
    private readonly IImageStore _images;
    private readonly LayerUnpacker _unpacker;
    private readonly string _scratch;
    private readonly TimeProvider _time;

    /// <param name="scratchDirectory">Where the tar is unpacked while it is read (it is removed afterwards).</param>
    public ImageArchiveLoader(
        IContentStore content, ISnapshotter snapshots, IImageStore images, string? scratchDirectory = null, LayerApplier? applier = null,
        TimeProvider? time = null)
    {
        _content = content ?? throw new ArgumentNullException(nameof(content));
        ArgumentNullException.ThrowIfNull(snapshots);
        _images = images ?? throw new ArgumentNullException(nameof(images));
        _unpacker = new LayerUnpacker(content, snapshots, applier ?? new LayerApplier());
        _scratch = scratchDirectory ?? Path.GetTempPath();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Loads every image in the archive; reports "Loaded image: name:tag" (or "Loaded image ID: sha256:…" for
    /// an untagged one) per image, and returns the loaded images.</summary>
    public async Task<IReadOnlyList<ImageRecord>> LoadAsync(Stream input, IProgress<ProgressEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var report = new PullProgress(progress);
        string root = Path.Combine(_scratch, $"berth-load-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var files = new ArchiveFiles(root);
            await files.ExtractAsync(input, cancellationToken);
            var loaded = new List<ImageRecord>();
            if (files.Exists("manifest.json"))
            {
                List<ArchiveManifestEntry> entries = Parse(files.ReadAllBytes("manifest.json"), ArchiveJsonContext.Default.ListArchiveManifestEntry, "manifest.json");
                Dictionary<Digest, (Descriptor Descriptor, byte[] Bytes)> layoutManifests = await LayoutManifestsAsync(files, cancellationToken);
                foreach (ArchiveManifestEntry entry in entries)
                {
                    byte[] config = files.ReadAllBytes(entry.Config);
                    Digest configDigest = Digest.Compute(config);
                    layoutManifests.TryGetValue(configDigest, out var manifest);
                    var tags = (entry.RepoTags ?? []).Select(ImageReference.Parse).ToList();
                    loaded.Add(await LoadImageAsync(files, config, entry.Layers, manifest.Bytes, tags, report, cancellationToken));
                }
            }
            else if (files.Exists("index.json"))
            {
                foreach ((Descriptor descriptor, OciDescriptor wire) in await LayoutEntriesAsync(files, cancellationToken))
                {
                    byte[] manifestBytes = files.ReadBlob(descriptor.Digest);
                    OciManifest manifest = Parse(manifestBytes, RegistryJsonContext.Default.OciManifest, $"manifest {descriptor.Digest}");
                    byte[] config = files.ReadBlob(manifest.Config.ToDescriptor().Digest);
                    List<string> layerPaths = manifest.Layers.Select(l => ArchiveFiles.BlobPath(l.ToDescriptor().Digest)).ToList();
                    List<ImageReference> tags = NameOf(wire) is { } name ? [name] : [];
                    loaded.Add(await LoadImageAsync(files, config, layerPaths, manifestBytes, tags, report, cancellationToken));
                }
            }
            else
            {
                throw Errors.InvalidArgument("invalid archive: it has neither manifest.json (docker-archive) nor index.json (OCI layout)");
            }

            return loaded;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private async Task<ImageRecord> LoadImageAsync(
        ArchiveFiles files, byte[] configBytes, IReadOnlyList<string> layerPaths, byte[]? manifestBytes, List<ImageReference> tags,
        PullProgress report, CancellationToken cancellationToken)
    {
        Digest configDigest = Digest.Compute(configBytes);
        ImageConfigFile config = ImagePuller.ParseConfig(configBytes, configDigest.ToString());
        List<Digest> diffIds = ImagePuller.ParseDiffIds(config, layerPaths.Count, configDigest.ToString());
        IReadOnlyList<Digest> chainIds = ChainIds.Compute(diffIds);

        // The archive's own manifest is kept byte for byte when its layers are the files we load; otherwise (a
        // docker-archive) one is written over the layer files as they are.
        List<Descriptor> layers = [];
        OciManifest? manifest = manifestBytes is null ? null : Parse(manifestBytes, RegistryJsonContext.Default.OciManifest, "manifest");
        for (int i = 0; i < layerPaths.Count; i++)
        {
            Descriptor layer = await files.DescribeAsync(layerPaths[i], cancellationToken);
            if (manifest is not null && (manifest.Layers.Count != layerPaths.Count || manifest.Layers[i].ToDescriptor().Digest != layer.Digest))
            {
                manifest = null;
                manifestBytes = null;
            }

            layers.Add(manifest is null ? layer : layer with { MediaType = manifest.Layers[i].MediaType });
        }

        int firstMissing = await _unpacker.FirstMissingAsync(chainIds, cancellationToken);
        for (int i = 0; i < layers.Count; i++)
        {
            string id = ImagePuller.ShortId(diffIds[i]);
            if (i < firstMissing)
            {
                continue;
            }

            await using (FileStream file = files.OpenRead(layerPaths[i]))
            {
                await _content.WriteBlobAsync(ContentStoreExtensions.KeyFor(layers[i].Digest), layers[i], file, cancellationToken);
            }

            report.Report(id, "Loading layer", 0, layers[i].Size);
            await _unpacker.UnpackAsync(layers[i], diffIds[i], i == 0 ? null : chainIds[i - 1].ToString(), chainIds[i].ToString(),
                n => report.Report(id, "Loading layer", n, layers[i].Size), cancellationToken);
        }

        // Layers below the first missing one are in snapshots already, but push and save need their blobs too.
        for (int i = 0; i < firstMissing; i++)
        {
            await using FileStream file = files.OpenRead(layerPaths[i]);
            await _content.WriteBlobAsync(ContentStoreExtensions.KeyFor(layers[i].Digest), layers[i], file, cancellationToken);
        }

        var configDescriptor = new Descriptor(MediaTypes.OciConfig, configDigest, configBytes.Length);
        manifestBytes ??= JsonSerializer.SerializeToUtf8Bytes(new OciManifest
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciManifest,
            Config = new OciDescriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest.ToString(), Size = configBytes.Length },
            Layers = layers.Select(l => new OciDescriptor { MediaType = l.MediaType, Digest = l.Digest.ToString(), Size = l.Size }).ToList(),
        }, RegistryJsonContext.Default.OciManifest);
        Digest manifestDigest = Digest.Compute(manifestBytes);
        await _content.WriteBlobAsync(configDescriptor, configBytes, cancellationToken);
        await _content.WriteBlobAsync(new Descriptor(MediaTypes.OciManifest, manifestDigest, manifestBytes.Length), manifestBytes, cancellationToken);

        long size = layers.Count == 0 ? 0 : await _unpacker.UnpackedSizeAsync(chainIds, cancellationToken);
        ImageRecord? before = await _images.FindAsync(configDigest.ToString(), cancellationToken);
        ImageRecord image = ImageRecords.From(configDigest, manifestDigest, manifestDigest, layers, config, diffIds, size, before?.Pulled ?? _time.GetUtcNow());
        image = await _images.AddAsync(image, tags.Count > 0 ? tags[0] : null, null, cancellationToken);
        foreach (ImageReference tag in tags.Skip(1))
        {
            await _images.TagAsync(configDigest.ToString(), tag.ToString(), cancellationToken);
        }

        if (tags.Count == 0)
        {
            report.Report(null, $"Loaded image ID: {configDigest}");
        }

        foreach (ImageReference tag in tags)
        {
            report.Report(null, $"Loaded image: {tag.FamiliarString}");
        }

        return await _images.GetAsync(configDigest.ToString(), cancellationToken);
    }

    /// <summary>A layout's manifests by the config they name, to keep their bytes when manifest.json lists the same image.</summary>
    private static async Task<Dictionary<Digest, (Descriptor Descriptor, byte[] Bytes)>> LayoutManifestsAsync(ArchiveFiles files, CancellationToken cancellationToken)
    {
        var manifests = new Dictionary<Digest, (Descriptor, byte[])>();
        if (!files.Exists("index.json"))
        {
            return manifests;
        }

        foreach ((Descriptor descriptor, _) in await LayoutEntriesAsync(files, cancellationToken))
        {
            byte[] bytes = files.ReadBlob(descriptor.Digest);
            OciManifest manifest = Parse(bytes, RegistryJsonContext.Default.OciManifest, $"manifest {descriptor.Digest}");
            manifests.TryAdd(manifest.Config.ToDescriptor().Digest, (descriptor, bytes));
        }

        return manifests;
    }

    /// <summary>The image manifests <c>index.json</c> lists, nested indexes resolved to this host's platform.</summary>
    private static Task<List<(Descriptor Descriptor, OciDescriptor Wire)>> LayoutEntriesAsync(ArchiveFiles files, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        OciIndex index = Parse(files.ReadAllBytes("index.json"), RegistryJsonContext.Default.OciIndex, "index.json");
        var result = new List<(Descriptor, OciDescriptor)>();
        foreach (OciDescriptor wire in index.Manifests)
        {
            Descriptor descriptor = wire.ToDescriptor();
            if (MediaTypes.IsIndex(descriptor.MediaType))
            {
                OciIndex nested = Parse(files.ReadBlob(descriptor.Digest), RegistryJsonContext.Default.OciIndex, $"index {descriptor.Digest}");
                Descriptor selected = PlatformSelector.Select(nested, null, $"index {descriptor.Digest}");
                result.Add((selected, wire));
            }
            else if (MediaTypes.IsManifest(descriptor.MediaType) && !PlatformSelector.IsAttestation(wire))
            {
                result.Add((descriptor, wire));
            }
        }

        return Task.FromResult(result);
    }

    /// <summary>The name an index entry carries: containerd's full image name, else a ref.name that is a whole
    /// reference (podman writes those); a bare tag names nothing.</summary>
    private static ImageReference? NameOf(OciDescriptor entry)
    {
        if (entry.Annotations is not { } annotations)
        {
            return null;
        }

        if (annotations.TryGetValue(ArchiveMediaTypes.ImageNameAnnotation, out string? full) && ImageReference.TryParse(full, out ImageReference? named))
        {
            return named;
        }

        return annotations.TryGetValue(ArchiveMediaTypes.RefNameAnnotation, out string? refName) &&
               (refName.Contains('/', StringComparison.Ordinal) || refName.Contains(':', StringComparison.Ordinal)) &&
               ImageReference.TryParse(refName, out ImageReference? reference) && reference.Digest is null
            ? reference
            : null;
    }

    private static T Parse<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw Errors.InvalidArgument($"invalid archive: {what} is empty");
        }
        catch (JsonException ex)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid archive: {what} is not valid JSON: {ex.Message}", ex);
        }
    }
}
