using Berth.Core.Content;
using Berth.Core.Images;

namespace Berth.Images.Store;

/// <summary>
/// Everything the image store persists, written whole so a tag move is one atomic write. Keys of
/// <see cref="Tags"/> and <see cref="Digests"/> are canonical references (<c>docker.io/library/busybox:latest</c>,
/// <c>docker.io/library/busybox@sha256:…</c>); records are kept without their RepoTags/RepoDigests (derived).
/// </summary>
internal sealed record ImageStoreDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public Dictionary<string, ImageRecord> Images { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, Digest> Tags { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, Digest> Digests { get; init; } = new(StringComparer.Ordinal);
}
