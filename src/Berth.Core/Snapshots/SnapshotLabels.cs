namespace Berth.Core.Snapshots;

/// <summary>Snapshot labels with a meaning to the garbage collector.</summary>
public static class SnapshotLabels
{
    /// <summary>A committed snapshot with this label lives as long as its parent does, though no image names it.</summary>
    public const string KeepWithParent = "berth.gc.keep-with-parent";
}
