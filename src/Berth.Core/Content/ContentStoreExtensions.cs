using Berth.Core.Errors;

namespace Berth.Core.Content;

/// <summary>Whole-blob helpers over the ingest protocol (containerd's <c>content.WriteBlob</c>).</summary>
public static class ContentStoreExtensions
{
    private const int CopyBufferSize = 128 * 1024;

    /// <summary>
    /// Writes <paramref name="source"/> as the content <paramref name="expected"/> and commits it. Returns false,
    /// having read nothing, when the content was already there (or was committed by a concurrent writer); resumes a
    /// partial ingest by skipping the bytes already written when <paramref name="source"/> is seekable.
    /// </summary>
    public static async Task<bool> WriteBlobAsync(
        this IIngester store, string key, Descriptor expected, Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(source);
        IContentWriter writer;
        try
        {
            writer = await store.OpenWriterAsync(key, expected, cancellationToken);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
        {
            return false;
        }

        await using (writer)
        {
            if (writer.Offset > 0)
            {
                if (source.CanSeek)
                {
                    source.Seek(writer.Offset, SeekOrigin.Begin);
                }
                else
                {
                    await writer.ResetAsync(cancellationToken);
                }
            }

            byte[] buffer = new byte[CopyBufferSize];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await writer.CommitAsync(cancellationToken);
            return true;
        }
    }

    /// <summary>Writes an in-memory blob under a key derived from its digest.</summary>
    public static async Task<bool> WriteBlobAsync(
        this IIngester store, Descriptor expected, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        await using var stream = new MemoryStream(data.ToArray(), writable: false);
        return await store.WriteBlobAsync(KeyFor(expected.Digest), expected, stream, cancellationToken);
    }

    /// <summary>The conventional ingest key for a digest, <c>sha256-&lt;hex&gt;</c>.</summary>
    public static string KeyFor(Digest digest) => digest.Algorithm + "-" + digest.Encoded;
}
