using System.Formats.Tar;
using System.Text.Json;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Images.Pull;
using Berth.Registry;
using Berth.Registry.Manifests;

namespace Berth.Images.Archive;

/// <summary>
/// <c>docker save</c> as Docker 25+ writes it: one tar that is both an OCI image layout (<c>oci-layout</c>,
/// <c>index.json</c>, <c>blobs/sha256/…</c>) and a docker-archive (<c>manifest.json</c>, <c>repositories</c>), with
/// uncompressed layers stored under their diff IDs, so both <c>docker load</c> and <c>podman load</c> read it and the
/// image ID (the config digest) is unchanged.
/// </summary>
public sealed class ImageArchiveWriter
{
    private const string Blobs = "blobs/sha256/";

    private readonly IContentProvider _content;
    private readonly IImageStore _images;
    private readonly string _scratch;

    /// <param name="scratchDirectory">Where compressed layers are unpacked before they go into the tar (a tar entry
    /// needs its size first).</param>
    public ImageArchiveWriter(IContentProvider content, IImageStore images, string? scratchDirectory = null)
    {
        _content = content ?? throw new ArgumentNullException(nameof(content));
        _images = images ?? throw new ArgumentNullException(nameof(images));
        _scratch = scratchDirectory ?? Path.GetTempPath();
    }

    /// <summary>Writes the images <paramref name="names"/> name (references or IDs; all are looked up before anything
    /// is written, so a missing one fails with "No such image: x" and an empty output).</summary>
    public async Task SaveAsync(IReadOnlyList<string> names, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(output);
        if (names.Count == 0)
        {
            throw Errors.InvalidArgument("no images to save");
        }

        var images = new List<(ImageRecord Image, List<string> Tags)>();
        foreach (string name in names)
        {
            ImageRecord image = await _images.GetAsync(name, cancellationToken);
            // A name that is a tag saves that tag; an ID saves the image with all its tags (Docker's rule).
            List<string> tags = ImageReference.TryParse(name, out ImageReference? reference) && reference.Digest is null &&
                                !IsIdPrefix(name, image.Id)
                ? [FullTag(reference)]
                : image.RepoTags.Select(t => FullTag(ImageReference.Parse(t))).ToList();
            int existing = images.FindIndex(i => i.Image.Id == image.Id);
            if (existing >= 0)
            {
                images[existing].Tags.AddRange(tags.Where(t => !images[existing].Tags.Contains(t)));
            }
            else
            {
                images.Add((image, tags));
            }
        }

        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var manifestJson = new List<ArchiveManifestEntry>();
        var repositories = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var indexEntries = new List<OciDescriptor>();
        await WriteDirectoryAsync(tar, "blobs/", cancellationToken);
        await WriteDirectoryAsync(tar, Blobs, cancellationToken);

        foreach ((ImageRecord image, List<string> tags) in images)
        {
            var layerPaths = new List<string>();
            var layerDescriptors = new List<OciDescriptor>();
            for (int i = 0; i < image.Layers.Count; i++)
            {
                (string path, long size) = await WriteLayerAsync(tar, image.Layers[i], image.DiffIds[i], written, cancellationToken);
                layerPaths.Add(path);
                layerDescriptors.Add(new OciDescriptor { MediaType = LayerMediaTypes.OciTar, Digest = image.DiffIds[i].ToString(), Size = size });
            }

            byte[] config = await ReadAllAsync(image.Id, cancellationToken);
            await WriteBlobOnceAsync(tar, image.Id, config, written, cancellationToken);
            var manifest = new OciManifest
            {
                SchemaVersion = 2,
                MediaType = MediaTypes.OciManifest,
                Config = new OciDescriptor { MediaType = MediaTypes.OciConfig, Digest = image.Id.ToString(), Size = config.Length },
                Layers = layerDescriptors,
            };
            byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, RegistryJsonContext.Default.OciManifest);
            Digest manifestDigest = Digest.Compute(manifestBytes);
            await WriteBlobOnceAsync(tar, manifestDigest, manifestBytes, written, cancellationToken);

            foreach (string? tag in tags.DefaultIfEmpty())
            {
                var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
                if (tag is not null)
                {
                    ImageReference reference = ImageReference.Parse(tag);
                    annotations[ArchiveMediaTypes.ImageNameAnnotation] = reference.ToString();
                    annotations[ArchiveMediaTypes.RefNameAnnotation] = reference.Tag!;
                    if (image.DiffIds.Count > 0)
                    {
                        repositories.TryAdd(reference.FamiliarName, new Dictionary<string, string>(StringComparer.Ordinal));
                        repositories[reference.FamiliarName][reference.Tag!] = image.DiffIds[^1].Encoded;
                    }
                }

                indexEntries.Add(new OciDescriptor
                {
                    MediaType = MediaTypes.OciManifest,
                    Digest = manifestDigest.ToString(),
                    Size = manifestBytes.Length,
                    Annotations = annotations.Count > 0 ? annotations : null,
                });
            }

            manifestJson.Add(new ArchiveManifestEntry
            {
                Config = Blobs + image.Id.Encoded,
                RepoTags = tags.Select(t => ImageReference.Parse(t).FamiliarString).ToList(),
                Layers = layerPaths,
            });
        }

        var index = new OciIndex { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = indexEntries };
        await WriteFileAsync(tar, ArchiveMediaTypes.OciLayout, JsonSerializer.SerializeToUtf8Bytes(new OciLayoutFile(), ArchiveJsonContext.Default.OciLayoutFile), cancellationToken);
        await WriteFileAsync(tar, "index.json", JsonSerializer.SerializeToUtf8Bytes(index, RegistryJsonContext.Default.OciIndex), cancellationToken);
        await WriteFileAsync(tar, "manifest.json", JsonSerializer.SerializeToUtf8Bytes(manifestJson, ArchiveJsonContext.Default.ListArchiveManifestEntry), cancellationToken);
        if (repositories.Count > 0)
        {
            await WriteFileAsync(tar, "repositories",
                JsonSerializer.SerializeToUtf8Bytes(repositories, ArchiveJsonContext.Default.DictionaryStringDictionaryStringString), cancellationToken);
        }
    }

    private static bool IsIdPrefix(string name, Digest id)
    {
        string hex = name.StartsWith("sha256:", StringComparison.Ordinal) ? name["sha256:".Length..] : name;
        return hex.Length >= 4 && id.Encoded.StartsWith(hex, StringComparison.Ordinal);
    }

    private static string FullTag(ImageReference reference) =>
        (reference.Tag is null ? reference.WithTag(ImageReference.DefaultTag) : reference).ToString();

    /// <summary>Writes a layer uncompressed as <c>blobs/sha256/&lt;diff ID&gt;</c>, checking the diff ID on the way.</summary>
    private async Task<(string Path, long Size)> WriteLayerAsync(
        TarWriter tar, Descriptor layer, Digest diffId, HashSet<string> written, CancellationToken cancellationToken)
    {
        string path = Blobs + diffId.Encoded;
        string temp = Path.Combine(_scratch, $"berth-save-{Guid.NewGuid():N}.tar");
        try
        {
            using var hasher = new DigestHasher(diffId.Algorithm);
            await using (Stream blob = await _content.OpenReadAsync(layer.Digest, cancellationToken))
            await using (Stream source = LayerMediaTypes.Decompress(blob, layer.MediaType))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
            {
                byte[] buffer = new byte[1 << 17];
                int n;
                while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hasher.Append(buffer.AsSpan(0, n));
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                }

                if (hasher.Current() != diffId)
                {
                    throw Errors.FailedPrecondition($"layer {layer.Digest}: unpacked content {hasher.Current()} does not match its diff ID {diffId}");
                }

                long size = file.Length;
                if (written.Add(path))
                {
                    file.Position = 0;
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = file, Mode = DefaultMode, ModificationTime = Epoch };
                    await tar.WriteEntryAsync(entry, cancellationToken);
                }

                return (path, size);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static readonly UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    private static async Task WriteBlobOnceAsync(TarWriter tar, Digest digest, byte[] bytes, HashSet<string> written, CancellationToken cancellationToken)
    {
        if (written.Add(Blobs + digest.Encoded))
        {
            await WriteFileAsync(tar, Blobs + digest.Encoded, bytes, cancellationToken);
        }
    }

    private static async Task WriteFileAsync(TarWriter tar, string name, byte[] bytes, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream(bytes, writable: false);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data, Mode = DefaultMode, ModificationTime = Epoch };
        await tar.WriteEntryAsync(entry, cancellationToken);
    }

    private static async Task WriteDirectoryAsync(TarWriter tar, string name, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.Directory, name)
        {
            Mode = DefaultMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute,
            ModificationTime = Epoch,
        };
        await tar.WriteEntryAsync(entry, cancellationToken);
    }

    private async Task<byte[]> ReadAllAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using Stream stream = await _content.OpenReadAsync(digest, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
