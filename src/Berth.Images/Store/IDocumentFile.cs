namespace Berth.Images.Store;

/// <summary>One JSON document on disk replaced atomically as a whole; the seam where the metadata store's
/// document type plugs in.</summary>
internal interface IDocumentFile<T>
    where T : class
{
    /// <summary>The document, or null when none was ever written.</summary>
    Task<T?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the document so that a crash leaves either the old or the new one, never a mix.</summary>
    Task WriteAsync(T document, CancellationToken cancellationToken);
}
