namespace Berth.Storage.Snapshots;

/// <summary>
/// All of one snapshotter's metadata as a single document, so that every change (a commit renaming key to name
/// included) is one atomic rename on disk.
/// </summary>
internal sealed class SnapshotTable
{
    /// <summary>The next directory id; ids are never reused, so a directory left by a crash cannot be mistaken.</summary>
    public long NextId { get; set; } = 1;

    public Dictionary<string, SnapshotRecord> Snapshots { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A copy an update can change freely: the table it came from may be in use by readers.</summary>
    public SnapshotTable Clone() => new()
    {
        NextId = NextId,
        Snapshots = Snapshots.ToDictionary(entry => entry.Key, entry => entry.Value.Clone(), StringComparer.Ordinal),
    };
}
