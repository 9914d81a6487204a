using System.Globalization;
using System.Runtime.CompilerServices;
using Berth.Core.Content;
using Berth.Core.Errors;

namespace Berth.Storage.Content;

/// <summary>
/// The content store on disk (ARCHITECTURE.md §4): committed blobs at <c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>, read-only
/// and never rewritten; ingests at <c>ingest/&lt;key&gt;/</c> holding <c>data</c> (the bytes so far), <c>expected</c>
/// (the digest and size they must reach) and <c>lock</c> (flocked by the writer that has the ingest open).
/// </summary>
public sealed class FileContentStore : IContentStore
{
    // Writers of one digest queue here, so a blob is fetched once however many pulls want it. Static so that two
    // stores opened on the same root in one process share it; the cross-process guard is the ingest's lock file.
    private static readonly KeyedLock DigestLocks = new();

    private const int BufferSize = 128 * 1024;

    private readonly string _blobs;
    private readonly string _ingest;

    public FileContentStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        _blobs = Path.Combine(Root, "blobs");
        _ingest = Path.Combine(Root, "ingest");
        Directory.CreateDirectory(_blobs);
        Directory.CreateDirectory(_ingest);
    }

    public string Root { get; }

    public Task<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult<Stream>(new FileStream(
                BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (FileNotFoundException)
        {
            throw NotFound(digest);
        }
        catch (DirectoryNotFoundException)
        {
            throw NotFound(digest);
        }
    }

    public Task<ContentInfo> InfoAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = new FileInfo(BlobPath(digest));
        return file.Exists
            ? Task.FromResult(new ContentInfo(digest, file.Length, file.LastWriteTimeUtc))
            : throw NotFound(digest);
    }

    public Task<bool> ExistsAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(BlobPath(digest)));
    }

    public async Task<IContentWriter> OpenWriterAsync(string key, Descriptor expected, CancellationToken cancellationToken = default)
    {
        IngestKey.Validate(key);
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.Digest.IsEmpty)
        {
            throw Errors.InvalidArgument($"ingest {key}: the expected digest is required");
        }

        string blob = BlobPath(expected.Digest);
        if (File.Exists(blob))
        {
            throw AlreadyExists(expected.Digest);
        }

        IDisposable digestLock = await DigestLocks.AcquireAsync(Root + "\n" + expected.Digest, cancellationToken);
        FileStream? lockFile = null;
        FileStream? data = null;
        DigestHasher? hasher = null;
        try
        {
            // Committed by the writer we waited for: the caller's download is not needed.
            if (File.Exists(blob))
            {
                throw AlreadyExists(expected.Digest);
            }

            string directory = Path.Combine(_ingest, key);
            Directory.CreateDirectory(directory);
            lockFile = OpenLock(directory, key);

            string expectedPath = Path.Combine(directory, "expected");
            string expectedText = $"{expected.Digest} {expected.Size.ToString(CultureInfo.InvariantCulture)}";
            bool resumable = File.Exists(expectedPath) &&
                             await File.ReadAllTextAsync(expectedPath, cancellationToken) == expectedText;

            data = new FileStream(
                Path.Combine(directory, "data"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, BufferSize,
                FileOptions.Asynchronous);
            hasher = new DigestHasher(expected.Digest.Algorithm);

            // An ingest for other content under this key, or one that outgrew its expected size, cannot be resumed.
            if (!resumable || (expected.Size >= 0 && data.Length > expected.Size))
            {
                data.SetLength(0);
                await File.WriteAllTextAsync(expectedPath, expectedText, cancellationToken);
            }

            await HashPrefixAsync(data, hasher, cancellationToken);
            var writer = new FileContentWriter(this, key, expected, directory, lockFile, data, hasher, digestLock);
            return writer;
        }
        catch
        {
            hasher?.Dispose();
            if (data is not null)
            {
                await data.DisposeAsync();
            }

            if (lockFile is not null)
            {
                await lockFile.DisposeAsync();
            }

            digestLock.Dispose();
            throw;
        }
    }

    public Task DeleteAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string path = BlobPath(digest);
        if (!File.Exists(path))
        {
            throw NotFound(digest);
        }

        File.Delete(path);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ContentInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (string algorithmDirectory in Directory.EnumerateDirectories(_blobs))
        {
            string algorithm = Path.GetFileName(algorithmDirectory);
            foreach (var file in new DirectoryInfo(algorithmDirectory).EnumerateFiles())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Digest.TryParse(algorithm + ":" + file.Name, out Digest digest))
                {
                    yield return new ContentInfo(digest, file.Length, file.LastWriteTimeUtc);
                }
            }
        }
    }

    public async Task<bool> VerifyAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        await using Stream stream = await OpenReadAsync(digest, cancellationToken);
        using var hasher = new DigestHasher(digest.Algorithm);
        await HashPrefixAsync(stream, hasher, cancellationToken);
        return hasher.Current() == digest;
    }

    /// <summary>
    /// Removes ingests nobody has written to for <paramref name="olderThan"/> and nobody holds open: what a crash or
    /// an abandoned pull leaves behind. Meant for daemon startup. Returns how many were removed.
    /// </summary>
    public Task<int> CleanupIngestsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        DateTime cutoff = DateTime.UtcNow - olderThan;
        int removed = 0;
        foreach (string directory in Directory.EnumerateDirectories(_ingest))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string data = Path.Combine(directory, "data");
            DateTime touched = File.Exists(data) ? File.GetLastWriteTimeUtc(data) : Directory.GetLastWriteTimeUtc(directory);
            if (touched > cutoff)
            {
                continue;
            }

            FileStream? lockFile = TryOpenLock(directory);
            if (lockFile is null)
            {
                continue;
            }

            using (lockFile)
            {
                Directory.Delete(directory, recursive: true);
            }

            removed++;
        }

        return Task.FromResult(removed);
    }

    internal string BlobPath(Digest digest)
    {
        if (digest.IsEmpty)
        {
            throw Errors.InvalidArgument("empty digest");
        }

        return Path.Combine(_blobs, digest.Algorithm, digest.Encoded);
    }

    internal static BerthException AlreadyExists(Digest digest) => Errors.AlreadyExists($"content {digest}: already exists");

    private static BerthException NotFound(Digest digest) => Errors.NotFound($"content {digest}: not found");

    private static async Task HashPrefixAsync(Stream stream, DigestHasher hasher, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[BufferSize];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hasher.Append(buffer.AsSpan(0, read));
        }
    }

    private static FileStream OpenLock(string directory, string key) =>
        TryOpenLock(directory) ?? throw new BerthException(ErrorKind.Unavailable, $"ingest {key}: locked by another writer");

    // FileShare.None makes .NET take flock(LOCK_EX | LOCK_NB) on the file, which excludes other processes and other
    // open file descriptions in this one.
    private static FileStream? TryOpenLock(string directory)
    {
        try
        {
            return new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (Directory.Exists(directory))
        {
            return null;
        }
    }
}
