namespace Berth.Core.Content;

/// <summary>
/// Brings new content into the store. Vocabulary:
/// <list type="bullet">
/// <item><b>ingest</b>: content being written, not yet readable; it survives the writer (and the process) so a
/// broken download can resume.</item>
/// <item><b>key</b>: the caller's name for one ingest (containerd's "ref"), such as <c>layer-sha256:ab…</c>; letters,
/// digits and <c>. _ - : @ + =</c>, not starting with a dot, at most 255 characters. Reopening a key resumes it.</item>
/// <item><b>expected</b>: the descriptor the content must match; a negative <see cref="Descriptor.Size"/> means the
/// size is unknown and only the digest is checked.</item>
/// <item><b>commit</b>: verification of size and digest, then an atomic, durable move into the store. Content that
/// fails verification never becomes readable and its ingest is discarded.</item>
/// </list>
/// </summary>
public interface IIngester
{
    /// <summary>
    /// Opens (or resumes) the ingest <paramref name="key"/> for content matching <paramref name="expected"/>. While a
    /// writer for the same digest is open anywhere in this store the call waits, so concurrent pulls fetch a blob once.
    /// Throws AlreadyExists when the content is already committed (before or while waiting): the caller is done.
    /// </summary>
    Task<IContentWriter> OpenWriterAsync(string key, Descriptor expected, CancellationToken cancellationToken = default);
}
