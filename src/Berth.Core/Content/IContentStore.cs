namespace Berth.Core.Content;

/// <summary>
/// The content-addressed store of blobs (manifests, configs, layers): <see cref="IContentProvider"/> to read,
/// <see cref="IIngester"/> to write, plus management. Content is immutable once committed; the only change is deletion.
/// </summary>
public interface IContentStore : IContentProvider, IIngester
{
    /// <summary>Removes committed content. Throws NotFound when it is not in the store.</summary>
    Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Every committed blob, in no particular order. Ingests are not content and are not listed.</summary>
    IAsyncEnumerable<ContentInfo> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Re-reads committed content and recomputes its digest (fsck). False means the stored bytes are corrupt.
    /// Throws NotFound when it is not in the store.</summary>
    Task<bool> VerifyAsync(Digest digest, CancellationToken cancellationToken = default);
}
