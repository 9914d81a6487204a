using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Storage.Content;

namespace Berth.Storage.Metadata;

/// <summary>
/// Small JSON documents, one file per id in one directory, each write atomic and durable (write temp → fsync →
/// rename → fsync dir, ARCHITECTURE.md §4): a reader sees the old document or the new one, never a torn one.
/// Ids are any non-empty string; they are percent-encoded into file names (<c>&lt;encoded id&gt;.json</c>).
/// Single reads and writes need no lock. A read-modify-write holds <see cref="LockAsync"/>, a lock shared by every
/// store opened on the same directory in this process (not across processes: one daemon owns a data root).
/// </summary>
/// <remarks>
/// Files are recycled rather than made and deleted: the temp file is a spare (<c>.spare-*</c>) that a rename exchange
/// swaps with the document, so the replaced version becomes the next write's spare, and a deleted document becomes
/// one too. On ext4 without a journal every new inode is found by stepping over each inode deleted in the last minute,
/// so a store rewritten at every container start paid for all the churn on the filesystem; now it makes none.
/// </remarks>
public sealed class JsonDocumentStore<T>
    where T : class
{
    private const string Extension = ".json";
    private const int MaxFileName = 240;
    private const int MaxReadAttempts = 8;

    // Keyed by directory so two store objects on one directory serialize their updates against each other.
    private static readonly KeyedLock DirectoryLocks = new();

    // Keyed by directory too: every store object on one directory draws on the same spares.
    private static readonly ConcurrentDictionary<string, SparePool> SparesByDirectory = new(StringComparer.Ordinal);

    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly SparePool _spares;

    public JsonDocumentStore(string directory, JsonTypeInfo<T> typeInfo)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(typeInfo);
        Directory = Path.GetFullPath(directory);
        _typeInfo = typeInfo;
        System.IO.Directory.CreateDirectory(Directory);
        _spares = SparesByDirectory.GetOrAdd(Directory, dir => new SparePool(dir));
    }

    public string Directory { get; }

    /// <summary>Serializes read-modify-write cycles on this directory within the process; dispose to release.</summary>
    public Task<IDisposable> LockAsync(CancellationToken cancellationToken = default) =>
        DirectoryLocks.AcquireAsync(Directory, cancellationToken);

    /// <summary>The file that holds the document with this id.</summary>
    public string FileOf(string id) => PathOf(id);

    /// <summary>The document, or null when there is none with that id.</summary>
    /// <remarks>
    /// Read synchronously: a document is a few KiB, and Linux has no asynchronous file I/O for .NET to use, so an
    /// asynchronous read is the same read done on a thread-pool thread, plus a hand-off per 4 KiB chunk.
    /// </remarks>
    public Task<T?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Get(PathOf(id)));
    }

    private T? Get(string path)
    {
        for (int attempt = 1; ; attempt++)
        {
            FileStream file;
            try
            {
                // FileShare.Read holds a shared lock while the document is read: a writer cannot refill this file meanwhile.
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.None);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (IOException) when (attempt < MaxReadAttempts && File.Exists(path))
            {
                // What the path named when opened was replaced and is being refilled as a spare: the path names another file now.
                continue;
            }

            using (file)
            {
                T? document = null;
                JsonException? corrupt = null;
                try
                {
                    document = JsonSerializer.Deserialize(file, _typeInfo);
                }
                catch (JsonException ex)
                {
                    corrupt = ex;
                }

                // A file read after it was recycled holds some later write: only one the path still names is this id's.
                if (attempt < MaxReadAttempts && !StillNamedBy(path, file))
                {
                    continue;
                }

                return corrupt is not null
                    ? throw Errors.Internal($"metadata document \"{path}\" is corrupt: {corrupt.Message}", corrupt)
                    : document ?? throw Errors.Internal($"metadata document \"{path}\" is null");
            }
        }
    }

    private static bool StillNamedBy(string path, FileStream file) =>
        FileSystemOps.TryStat(path) is { } named && named.Inode == FileSystemOps.StatHandle(file.SafeFileHandle).Inode;

    /// <summary>Creates or replaces the document atomically and durably.</summary>
    public Task PutAsync(string id, T document, CancellationToken cancellationToken = default) =>
        PutAsync(id, document, durable: true, cancellationToken);

    /// <summary>
    /// Creates or replaces the document atomically; with <paramref name="durable"/> false it skips both fsyncs, for
    /// state that a crash makes stale anyway (a reader still sees the old document or the new one, never a torn one).
    /// </summary>
    public Task PutAsync(string id, T document, bool durable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        string path = PathOf(id);
        cancellationToken.ThrowIfCancellationRequested();
        (string spare, FileStream opened) = OpenSpare();
        try
        {
            // Synchronous, as GetAsync reads. The spare is overwritten in place and cut to length after: its blocks are
            // reused rather than freed by a truncate to zero and allocated again.
            using (FileStream file = opened)
            {
                JsonSerializer.Serialize(file, document, _typeInfo);
                file.Flush();
                file.SetLength(file.Position);
                if (durable)
                {
                    file.Flush(flushToDisk: true);
                }
            }

            if (FileSystemOps.TryExchange(spare, path) == Errno.None)
            {
                // The spare's name now holds the replaced version: the next write's spare.
                _spares.GiveBack(spare);
            }
            else
            {
                // No document yet (ENOENT), or a filesystem that cannot exchange: a plain rename.
                File.Move(spare, path, overwrite: true);
            }
        }
        catch
        {
            if (File.Exists(spare))
            {
                _spares.GiveBack(spare);
            }

            throw;
        }

        if (durable)
        {
            Durability.FlushDirectory(Directory);
        }

        return Task.CompletedTask;
    }

    /// <summary>Deletes the document; false when there was none.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string path = PathOf(id);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        if (_spares.IsFull)
        {
            File.Delete(path);
        }
        else
        {
            string spare = _spares.NewPath();
            try
            {
                File.Move(path, spare);
            }
            catch (FileNotFoundException)
            {
                return Task.FromResult(false);
            }

            _spares.GiveBack(spare);
        }

        Durability.FlushDirectory(Directory);
        return Task.FromResult(true);
    }

    /// <summary>
    /// A spare opened for writing, rewritten only once the exclusive lock is held: a reader that opened the document
    /// this file was a moment ago still holds its shared lock, and that spare waits for another write.
    /// </summary>
    private (string Path, FileStream File) OpenSpare()
    {
        var busy = new List<string>();
        try
        {
            while (_spares.TryTake(out string? spare))
            {
                try
                {
                    return (spare, new FileStream(spare, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 4096, FileOptions.None));
                }
                catch (IOException)
                {
                    busy.Add(spare);
                }
            }

            string path = _spares.NewPath();
            return (path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None));
        }
        finally
        {
            busy.ForEach(_spares.GiveBack);
        }
    }

    /// <summary>Every document with its id, in ordinal id order.</summary>
    public async IAsyncEnumerable<KeyValuePair<string, T>> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var ids = System.IO.Directory.EnumerateFiles(Directory, "*" + Extension)
            .Select(Path.GetFileName)
            .Where(name => !name!.StartsWith('.'))
            .Select(name => Decode(name![..^Extension.Length]))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (string id in ids)
        {
            if (await GetAsync(id, cancellationToken) is { } document)
            {
                yield return new(id, document);
            }
        }
    }

    private string PathOf(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        string name = Encode(id) + Extension;
        return name.Length > MaxFileName
            ? throw Errors.InvalidArgument($"metadata id \"{id[..Math.Min(id.Length, 64)]}…\" is too long")
            : Path.Combine(Directory, name);
    }

    /// <summary>Keeps [A-Za-z0-9_:@+-] and interior dots; every other UTF-8 byte becomes %XX (so '/' and a leading '.' are safe).</summary>
    private static string Encode(string id)
    {
        var builder = new StringBuilder(id.Length);
        byte[] bytes = Encoding.UTF8.GetBytes(id);
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            bool plain = char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)':' or (byte)'@' or (byte)'+' or (byte)'-'
                || (b == (byte)'.' && i > 0);
            if (plain)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Decode(string name)
    {
        var bytes = new List<byte>(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] == '%' && i + 2 < name.Length)
            {
                bytes.Add(Convert.ToByte(name.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)name[i]);
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
