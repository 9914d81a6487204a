using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Berth.Storage.Content;

/// <summary>
/// Files or directories kept for reuse (<c>.spare-*</c> in one directory) instead of being deleted and made again: on
/// ext4 without a journal every new inode is found by stepping over each inode deleted in the last minute, so churn
/// costs every later creation. A spare taken belongs to its taker until it is given back; past a bound, what is given
/// back is deleted.
/// </summary>
public sealed class SparePool
{
    private const string Prefix = ".spare-";
    private const int MaxSpares = 64;

    private readonly string _directory;
    private readonly ConcurrentBag<string> _spares;

    /// <summary>A pool in <paramref name="directory"/>, holding the spares already there (a daemon's earlier run left them).</summary>
    public SparePool(string directory)
    {
        _directory = directory;
        _spares = new ConcurrentBag<string>(Directory.EnumerateFileSystemEntries(directory, Prefix + "*").Take(MaxSpares));
    }

    /// <summary>True when what is given back is deleted rather than kept.</summary>
    public bool IsFull => _spares.Count >= MaxSpares;

    public bool TryTake([NotNullWhen(true)] out string? spare) => _spares.TryTake(out spare);

    /// <summary>A path for a new spare in the pool's directory; nothing is there yet.</summary>
    public string NewPath() => Path.Combine(_directory, $"{Prefix}{Guid.NewGuid():N}");

    /// <summary>Keeps <paramref name="spare"/> (a path from <see cref="NewPath"/> or <see cref="TryTake"/>) for reuse, or deletes it when the pool is full.</summary>
    public void GiveBack(string spare)
    {
        if (!IsFull)
        {
            _spares.Add(spare);
        }
        else if (Directory.Exists(spare))
        {
            Directory.Delete(spare, recursive: true);
        }
        else
        {
            File.Delete(spare);
        }
    }
}
