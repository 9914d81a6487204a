using Berth.Core.Content;

namespace Berth.Core.Images;

/// <summary>
/// One image as the image store keeps it. <see cref="Id"/> is the config digest (Docker's image ID);
/// <see cref="RepoTags"/> are familiar <c>name:tag</c> strings and <see cref="RepoDigests"/> <c>name@sha256:…</c>, as
/// <c>docker image inspect</c> prints them.
/// </summary>
public sealed record ImageRecord
{
    public required Digest Id { get; init; }

    public IReadOnlyList<string> RepoTags { get; init; } = [];

    public IReadOnlyList<string> RepoDigests { get; init; } = [];

    /// <summary>The platform-specific image manifest.</summary>
    public required Digest ManifestDigest { get; init; }

    /// <summary>What the pulled reference pointed at: an index, or the manifest itself.</summary>
    public Digest? TargetDigest { get; init; }

    /// <summary>Compressed layer blobs, bottom first (what the content store holds for this image).</summary>
    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    public DateTimeOffset? Created { get; init; }

    /// <summary>Uncompressed size of all layers, as <c>docker images</c> reports it.</summary>
    public long Size { get; init; }

    public string Architecture { get; init; } = "";

    public string OS { get; init; } = "";

    public string? Variant { get; init; }

    public string? Author { get; init; }

    public ImageConfig Config { get; init; } = new();

    /// <summary>rootfs.diff_ids, bottom first.</summary>
    public IReadOnlyList<Digest> DiffIds { get; init; } = [];

    /// <summary>The chain ID of the top layer: the committed snapshot containers are prepared on (null: no layers).</summary>
    public string? ChainId { get; init; }

    public IReadOnlyList<ImageHistoryEntry> History { get; init; } = [];

    /// <summary>When the image entered this store (Docker's Metadata.LastTagTime is close to it).</summary>
    public DateTimeOffset Pulled { get; init; }
}
