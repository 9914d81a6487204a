namespace Berth.Core.Snapshots;

/// <summary>The lifecycle state of a snapshot, as in containerd: active ones are writable, committed ones are
/// immutable parents, views are read-only and never committed.</summary>
public enum SnapshotKind
{
    View,
    Active,
    Committed,
}
