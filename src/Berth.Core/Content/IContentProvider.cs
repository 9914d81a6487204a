namespace Berth.Core.Content;

/// <summary>
/// Reads committed content. Content is addressed only by <see cref="Digest"/>; whatever this role returns was
/// verified against its digest when it was committed, so readers trust it (re-checking is
/// <see cref="IContentStore.VerifyAsync"/>'s job).
/// </summary>
public interface IContentProvider
{
    /// <summary>Opens committed content for reading. Throws NotFound when it is not in the store.</summary>
    Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Size and commit time of committed content. Throws NotFound when it is not in the store.</summary>
    Task<ContentInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken = default);
}
