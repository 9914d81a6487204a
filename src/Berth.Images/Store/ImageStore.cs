using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;

namespace Berth.Images.Store;

/// <summary>
/// The image store on disk: one atomic JSON document (<c>images.json</c>) under the metadata directory holding the
/// images by ID and the tag and digest references pointing at them. Lookups and removal follow dockerd
/// (daemon/images): a tag or digest reference first, then a full or short ID.
/// </summary>
public sealed class ImageStore : IImageStore, IDisposable
{
    private const int ShortIdLength = 12;

    private readonly IDocumentFile<ImageStoreDocument> _file;
    private readonly IImageUsage? _usage;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ImageStoreDocument? _document;

    /// <param name="metadataDirectory">Where <c>images.json</c> lives.</param>
    /// <param name="usage">Which containers use an image; null means none ever does.</param>
    public ImageStore(string metadataDirectory, IImageUsage? usage = null)
        : this(new AtomicJsonFile<ImageStoreDocument>(
            Path.Combine(metadataDirectory ?? throw new ArgumentNullException(nameof(metadataDirectory)), "images.json"),
            ImageStoreJsonContext.Default.ImageStoreDocument), usage)
    {
    }

    internal ImageStore(IDocumentFile<ImageStoreDocument> file, IImageUsage? usage)
    {
        _file = file;
        _usage = usage;
    }

    public async Task<ImageRecord> AddAsync(ImageRecord image, ImageReference? tag, string? repoDigest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return await MutateAsync(document =>
        {
            document.Images[image.Id.ToString()] = image with { RepoTags = [], RepoDigests = [] };
            if (tag is not null)
            {
                document.Tags[TagKey(tag)] = image.Id;
            }

            if (repoDigest is not null)
            {
                document.Digests[ImageReference.ParseNamed(repoDigest).ToString()] = image.Id;
            }

            return WithReferences(document, document.Images[image.Id.ToString()]);
        }, cancellationToken);
    }

    public async Task<ImageRecord?> FindAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return await ReadAsync(document => Lookup(document, reference) is { } found ? WithReferences(document, found.Image) : null, cancellationToken);
    }

    public async Task<ImageRecord> GetAsync(string reference, CancellationToken cancellationToken = default) =>
        await FindAsync(reference, cancellationToken) ?? throw NoSuchImage(reference);

    public async Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync(document => document.Images.Values.Select(i => WithReferences(document, i)).ToList(), cancellationToken);

    public async Task TagAsync(string source, string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ImageReference tag = ImageReference.Parse(target);
        if (tag.Digest is not null)
        {
            throw Errors.InvalidArgument("refusing to create a tag with a digest reference");
        }

        await MutateAsync(document =>
        {
            ImageRecord image = Lookup(document, source)?.Image ?? throw NoSuchImage(source);
            document.Tags[TagKey(tag)] = image.Id;
            return true;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ImageRemoval>> RemoveAsync(string reference, bool force, bool noPrune = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return await MutateAsync(document =>
        {
            (ImageRecord image, string? key) = Lookup(document, reference) ?? throw NoSuchImage(reference);
            string shortId = ShortId(image.Id);
            string? usedBy = _usage?.ContainerUsing(image.Id);
            var removals = new List<ImageRemoval>();
            List<string> keys = ReferencesOf(document, image.Id);

            if (key is not null)
            {
                // By name: untag; the image goes with its last tag.
                if (keys.Count == 1 && usedBy is not null && !force)
                {
                    throw Errors.Conflict(
                        $"conflict: unable to remove repository reference \"{reference}\" (must force) - container {usedBy} is using its referenced image {shortId}");
                }

                Untag(document, key, removals);
                if (document.Tags.ContainsValue(image.Id))
                {
                    return removals;
                }

                foreach (string digestKey in ReferencesOf(document, image.Id))
                {
                    Untag(document, digestKey, removals);
                }

                if (usedBy is null)
                {
                    Delete(document, image, removals);
                }

                return removals;
            }

            // By ID: every reference goes, then the image.
            if (!force && keys.Select(k => ImageReference.ParseNamed(k).Name).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                throw Errors.Conflict($"conflict: unable to delete {shortId} (must be forced) - image is referenced in multiple repositories");
            }

            if (!force && usedBy is not null)
            {
                throw Errors.Conflict($"conflict: unable to delete {shortId} (must be forced) - image is being used by stopped container {usedBy}");
            }

            foreach (string k in keys)
            {
                Untag(document, k, removals);
            }

            Delete(document, image, removals);
            return removals;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ImageRemoval>> PruneDanglingAsync(CancellationToken cancellationToken = default) =>
        await MutateAsync(document =>
        {
            var removals = new List<ImageRemoval>();
            foreach (ImageRecord image in document.Images.Values.ToList())
            {
                if (!document.Tags.ContainsValue(image.Id) && _usage?.ContainerUsing(image.Id) is null)
                {
                    foreach (string k in ReferencesOf(document, image.Id))
                    {
                        Untag(document, k, removals);
                    }

                    Delete(document, image, removals);
                }
            }

            return removals;
        }, cancellationToken);

    public void Dispose() => _gate.Dispose();

    internal static string ShortId(Digest id) => id.Encoded[..Math.Min(ShortIdLength, id.Encoded.Length)];

    private static string TagKey(ImageReference tag) =>
        tag.WithoutTagOrDigest().WithTag(tag.Tag ?? ImageReference.DefaultTag).ToString();

    /// <summary>The image a user's string names, and the reference key it was found by (null: found by ID).</summary>
    private static (ImageRecord Image, string? Key)? Lookup(ImageStoreDocument document, string reference)
    {
        if (reference.StartsWith(Digest.Sha256 + ":", StringComparison.Ordinal) && Digest.TryParse(reference, out Digest id))
        {
            return document.Images.TryGetValue(id.ToString(), out ImageRecord? byId) ? (byId, null) : null;
        }

        if (ImageReference.TryParse(reference, out ImageReference? named))
        {
            string key = named.Digest is { } digest ? named.WithoutTagOrDigest() + "@" + digest : TagKey(named);
            Dictionary<string, Digest> map = named.Digest is null ? document.Tags : document.Digests;
            if (map.TryGetValue(key, out Digest target) && document.Images.TryGetValue(target.ToString(), out ImageRecord? image))
            {
                return (image, key);
            }
        }

        string prefix = reference.StartsWith(Digest.Sha256 + ":", StringComparison.Ordinal) ? reference[(Digest.Sha256.Length + 1)..] : reference;
        if (prefix.Length == 0 || !prefix.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var matches = document.Images.Values.Where(i => i.Id.Encoded.StartsWith(prefix, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1 ? (matches[0], null) : null;
    }

    private static List<string> ReferencesOf(ImageStoreDocument document, Digest id) =>
        document.Tags.Concat(document.Digests).Where(p => p.Value == id).Select(p => p.Key).ToList();

    private static void Untag(ImageStoreDocument document, string key, List<ImageRemoval> removals)
    {
        if (document.Tags.Remove(key) || document.Digests.Remove(key))
        {
            removals.Add(new ImageRemoval(ImageReference.ParseNamed(key).FamiliarString, null));
        }
    }

    private static void Delete(ImageStoreDocument document, ImageRecord image, List<ImageRemoval> removals)
    {
        document.Images.Remove(image.Id.ToString());
        removals.Add(new ImageRemoval(null, image.Id.ToString()));
    }

    private static ImageRecord WithReferences(ImageStoreDocument document, ImageRecord image) => image with
    {
        RepoTags = document.Tags.Where(p => p.Value == image.Id).Select(p => ImageReference.ParseNamed(p.Key).FamiliarString).ToList(),
        RepoDigests = document.Digests.Where(p => p.Value == image.Id).Select(p => ImageReference.ParseNamed(p.Key).FamiliarString).ToList(),
    };

    private static BerthException NoSuchImage(string reference) => Errors.NotFound($"No such image: {reference}");

    private async Task<T> ReadAsync<T>(Func<ImageStoreDocument, T> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return read(await LoadAsync(cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies a change to a copy and persists it before it becomes visible: a failed write changes nothing.</summary>
    private async Task<T> MutateAsync<T>(Func<ImageStoreDocument, T> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ImageStoreDocument current = await LoadAsync(cancellationToken);
            var copy = new ImageStoreDocument
            {
                Images = new Dictionary<string, ImageRecord>(current.Images, StringComparer.Ordinal),
                Tags = new Dictionary<string, Digest>(current.Tags, StringComparer.Ordinal),
                Digests = new Dictionary<string, Digest>(current.Digests, StringComparer.Ordinal),
            };
            T result = change(copy);
            await _file.WriteAsync(copy, CancellationToken.None);
            _document = copy;
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ImageStoreDocument> LoadAsync(CancellationToken cancellationToken) =>
        _document ??= await _file.ReadAsync(cancellationToken) ?? new ImageStoreDocument();
}
