using Berth.Core.Content;
using Berth.Core.Errors;

namespace Berth.Storage.Content;

/// <summary>An open ingest of <see cref="FileContentStore"/>: holds the digest lock and the ingest's flock until disposed.</summary>
internal sealed class FileContentWriter(
    FileContentStore store, string key, Descriptor expected, string directory, FileStream lockFile, FileStream dataFile,
    DigestHasher hasher, IDisposable digestLock) : IContentWriter
{
    private bool _closed;

    public string Key => key;

    public Descriptor Expected => expected;

    public long Offset => hasher.Length;

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (expected.Size >= 0 && Offset + data.Length > expected.Size)
        {
            throw Errors.FailedPrecondition(
                $"ingest {key}: writing {data.Length} bytes at offset {Offset} exceeds the expected size of {expected.Size} bytes");
        }

        await dataFile.WriteAsync(data, cancellationToken);
        hasher.Append(data.Span);
    }

    public Task ResetAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        dataFile.SetLength(0);
        hasher.Reset();
        return Task.CompletedTask;
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        await dataFile.FlushAsync(cancellationToken);
        dataFile.Flush(flushToDisk: true);
        long size = Offset;
        Digest actual = hasher.Current();
        string? mismatch =
            expected.Size >= 0 && size != expected.Size ? $"size mismatch: expected {expected.Size} bytes, actual {size}"
            : actual != expected.Digest ? $"digest mismatch: expected {expected.Digest}, actual {actual}"
            : null;
        string dataPath = dataFile.Name;
        _closed = true;
        hasher.Dispose();
        await dataFile.DisposeAsync();

        // The ingest stays locked until it is gone, so a writer waiting on this digest finds either the blob or
        // nothing, never a half-removed ingest.
        try
        {
            if (mismatch is not null)
            {
                // Bad bytes are never kept for a resume: resuming would only reproduce the same mismatch.
                Directory.Delete(directory, recursive: true);
                throw Errors.FailedPrecondition($"content {key}: {mismatch}");
            }

            string blob = store.BlobPath(expected.Digest);
            string blobDirectory = Path.GetDirectoryName(blob)!;
            Directory.CreateDirectory(blobDirectory);
            File.SetUnixFileMode(dataPath, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            try
            {
                File.Move(dataPath, blob, overwrite: false);
            }
            catch (IOException) when (File.Exists(blob))
            {
                // Another process committed the same digest first; its bytes are ours by definition.
            }

            Durability.FlushDirectory(blobDirectory);
            Directory.Delete(directory, recursive: true);
        }
        finally
        {
            await lockFile.DisposeAsync();
            digestLock.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            await CloseAsync();
        }
    }

    private async Task CloseAsync()
    {
        _closed = true;
        hasher.Dispose();
        await dataFile.DisposeAsync();
        await lockFile.DisposeAsync();
        digestLock.Dispose();
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);
}
