using Berth.Core.Content;

namespace Berth.Core.Images;

/// <summary>
/// The images this engine has, by ID (config digest) with their tags. Lookups take what <c>docker</c> accepts:
/// <c>busybox</c>, <c>busybox:latest</c>, a full or short ID with or without <c>sha256:</c>, <c>name@sha256:…</c>.
/// Errors: NotFound "No such image: X", Conflict for removals Docker refuses.
/// </summary>
public interface IImageStore
{
    /// <summary>Adds or replaces the image and points <paramref name="tag"/> (if any) at it, moving the tag from
    /// another image; <paramref name="repoDigest"/> (<c>name@sha256:…</c>) is recorded alongside.</summary>
    Task<ImageRecord> AddAsync(ImageRecord image, ImageReference? tag, string? repoDigest, CancellationToken cancellationToken = default);

    /// <summary>The image a reference names, or null.</summary>
    Task<ImageRecord?> FindAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>The image a reference names; NotFound "No such image: X" otherwise.</summary>
    Task<ImageRecord> GetAsync(string reference, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Points <paramref name="target"/> (a name, <c>:latest</c> implied) at the image <paramref name="source"/> names.</summary>
    Task TagAsync(string source, string target, CancellationToken cancellationToken = default);

    /// <summary><c>docker rmi</c>: untags a tag reference, deletes the image when its last reference goes.</summary>
    Task<IReadOnlyList<ImageRemoval>> RemoveAsync(string reference, bool force, bool noPrune = false, CancellationToken cancellationToken = default);

    /// <summary>Deletes images without tags that no container uses (<c>docker image prune</c>).</summary>
    Task<IReadOnlyList<ImageRemoval>> PruneDanglingAsync(CancellationToken cancellationToken = default);
}
