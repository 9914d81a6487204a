namespace Berth.Core.Content;

/// <summary>
/// One open ingest. Writes append at <see cref="Offset"/>; disposing without committing keeps the ingest for a later
/// resume and lets waiting writers of the same digest proceed.
/// </summary>
public interface IContentWriter : IAsyncDisposable
{
    string Key { get; }

    Descriptor Expected { get; }

    /// <summary>Bytes already in the ingest: where the next write lands, and the <c>Range</c> start of a resumed download.</summary>
    long Offset { get; }

    /// <summary>Appends data. Throws FailedPrecondition when it would exceed the expected size.</summary>
    Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Discards what was written so the download can restart from zero (a server that ignored <c>Range</c>).</summary>
    Task ResetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies size and digest and makes the content readable. On a mismatch the ingest is removed and
    /// FailedPrecondition names the expected and actual values. Committing content another writer already committed
    /// succeeds (the bytes are the same by definition).
    /// </summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}
