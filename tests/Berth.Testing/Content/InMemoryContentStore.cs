using System.Runtime.CompilerServices;
using Berth.Core.Content;
using Berth.Core.Errors;

namespace Berth.Testing.Content;

/// <summary>
/// An <see cref="IContentStore"/> in memory for tests of the layers above the store; it passes
/// <see cref="ContentStoreConformance"/>, so it behaves like the store on disk in everything but durability.
/// </summary>
public sealed class InMemoryContentStore : IContentStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Digest, (byte[] Data, DateTimeOffset CommittedAt)> _blobs = [];
    private readonly Dictionary<string, Ingest> _ingests = new(StringComparer.Ordinal);
    private readonly Dictionary<Digest, SemaphoreSlim> _digestLocks = [];

    public Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new MemoryStream(Get(digest).Data, writable: false));

    public Task<ContentInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var (data, committedAt) = Get(digest);
        return Task.FromResult(new ContentInfo(digest, data.Length, committedAt));
    }

    public Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_blobs.ContainsKey(digest));
        }
    }

    public async Task<IContentWriter> OpenWriterAsync(string key, Descriptor expected, CancellationToken cancellationToken = default)
    {
        IngestKey.Validate(key);
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.Digest.IsEmpty)
        {
            throw Errors.InvalidArgument($"ingest {key}: the expected digest is required");
        }

        SemaphoreSlim digestLock;
        lock (_gate)
        {
            if (_blobs.ContainsKey(expected.Digest))
            {
                throw AlreadyExists(expected.Digest);
            }

            if (!_digestLocks.TryGetValue(expected.Digest, out digestLock!))
            {
                digestLock = new SemaphoreSlim(1, 1);
                _digestLocks.Add(expected.Digest, digestLock);
            }
        }

        await digestLock.WaitAsync(cancellationToken);
        try
        {
            lock (_gate)
            {
                if (_blobs.ContainsKey(expected.Digest))
                {
                    throw AlreadyExists(expected.Digest);
                }

                if (!_ingests.TryGetValue(key, out Ingest? ingest) || ingest.Expected != (expected.Digest, expected.Size) ||
                    (expected.Size >= 0 && ingest.Data.Length > expected.Size))
                {
                    ingest = new Ingest((expected.Digest, expected.Size));
                    _ingests[key] = ingest;
                }

                if (ingest.Open)
                {
                    throw new BerthException(ErrorKind.Unavailable, $"ingest {key}: locked by another writer");
                }

                ingest.Open = true;
                return new Writer(this, key, expected, ingest, digestLock);
            }
        }
        catch
        {
            digestLock.Release();
            throw;
        }
    }

    public Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _blobs.Remove(digest) ? Task.CompletedTask : throw NotFound(digest);
        }
    }

    public async IAsyncEnumerable<ContentInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        List<ContentInfo> snapshot;
        lock (_gate)
        {
            snapshot = _blobs.Select(b => new ContentInfo(b.Key, b.Value.Data.Length, b.Value.CommittedAt)).ToList();
        }

        foreach (ContentInfo info in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }
    }

    public Task<bool> VerifyAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        byte[] data = Get(digest).Data;
        using var hasher = new DigestHasher(digest.Algorithm);
        hasher.Append(data);
        return Task.FromResult(hasher.Current() == digest);
    }

    /// <summary>Overwrites committed bytes in place, to test what notices corruption.</summary>
    public void Corrupt(Digest digest, byte[] data)
    {
        lock (_gate)
        {
            _blobs[digest] = (data, _blobs[digest].CommittedAt);
        }
    }

    private (byte[] Data, DateTimeOffset CommittedAt) Get(Digest digest)
    {
        lock (_gate)
        {
            return _blobs.TryGetValue(digest, out var blob) ? blob : throw NotFound(digest);
        }
    }

    private static BerthException NotFound(Digest digest) => Errors.NotFound($"content {digest}: not found");

    private static BerthException AlreadyExists(Digest digest) => Errors.AlreadyExists($"content {digest}: already exists");

    private sealed class Ingest((Digest, long) expected)
    {
        public (Digest Digest, long Size) Expected { get; } = expected;

        public MemoryStream Data { get; } = new();

        public bool Open { get; set; }
    }

    private sealed class Writer(InMemoryContentStore store, string key, Descriptor expected, Ingest ingest, SemaphoreSlim digestLock)
        : IContentWriter
    {
        private bool _closed;

        public string Key => key;

        public Descriptor Expected => expected;

        public long Offset => ingest.Data.Length;

        public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (expected.Size >= 0 && Offset + data.Length > expected.Size)
            {
                throw Errors.FailedPrecondition($"ingest {key}: writing {data.Length} bytes at offset {Offset} exceeds the expected size of {expected.Size} bytes");
            }

            ingest.Data.Write(data.Span);
            return Task.CompletedTask;
        }

        public Task ResetAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            ingest.Data.SetLength(0);
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            byte[] bytes = ingest.Data.ToArray();
            using var hasher = new DigestHasher(expected.Digest.Algorithm);
            hasher.Append(bytes);
            Digest actual = hasher.Current();
            string? mismatch =
                expected.Size >= 0 && bytes.Length != expected.Size ? $"size mismatch: expected {expected.Size} bytes, actual {bytes.Length}"
                : actual != expected.Digest ? $"digest mismatch: expected {expected.Digest}, actual {actual}"
                : null;
            lock (store._gate)
            {
                store._ingests.Remove(key);
                if (mismatch is null)
                {
                    store._blobs.TryAdd(expected.Digest, (bytes, DateTimeOffset.UtcNow));
                }
            }

            Close();
            return mismatch is null ? Task.CompletedTask : throw Errors.FailedPrecondition($"content {key}: {mismatch}");
        }

        public ValueTask DisposeAsync()
        {
            if (!_closed)
            {
                Close();
            }

            return ValueTask.CompletedTask;
        }

        private void Close()
        {
            _closed = true;
            lock (store._gate)
            {
                ingest.Open = false;
            }

            digestLock.Release();
        }
    }
}
