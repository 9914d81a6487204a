using Berth.Linux;

namespace Berth.Storage.Snapshots;

/// <summary>A parsed snapshot table and the status its file had when it was read or written (null: no file yet).</summary>
internal sealed record CachedTable(SnapshotTable Table, FileStatus? Stamp);
