namespace Berth.Core.Snapshots;

/// <summary>Disk use of one snapshot's own layer.</summary>
public readonly record struct SnapshotUsage(long Size, long Inodes);
