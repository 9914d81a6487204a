using Berth.Core.Mounts;
using Berth.Core.Snapshots;

namespace Berth.Storage.Snapshots;

/// <summary>
/// Snapshots as full copies, for filesystems where overlayfs cannot be used (containerd's native snapshotter). An
/// active snapshot starts as a copy of its parent's tree (<see cref="TreeCopier"/> keeps types, owners, modes,
/// times, xattrs, hardlinks, devices) and is returned as a read-write rbind. A view needs no copy: its parent is
/// committed and never changes, so the view is a read-only rbind of the parent's tree.
/// Layers are applied onto the whole copied tree, whiteouts deleting what they name (see <c>SnapshotApplyTarget</c>).
/// </summary>
public sealed class NativeSnapshotter : FileSnapshotter
{
    public NativeSnapshotter(string root)
        : base(root)
    {
    }

    private protected override void CreateLayer(SnapshotRecord record, IReadOnlyList<SnapshotRecord> parents, CancellationToken cancellationToken)
    {
        string fs = FsPath(record.Id);
        if (record.Kind == SnapshotKind.Active && parents.Count > 0)
        {
            TreeCopier.Copy(FsPath(parents[0].Id), fs, cancellationToken);
        }
        else
        {
            Directory.CreateDirectory(fs);
        }
    }

    private protected override IReadOnlyList<Mount> Mounts(SnapshotRecord record, IReadOnlyList<SnapshotRecord> parents) =>
        record.Kind == SnapshotKind.View
            ? [new Mount("bind", FsPath(parents.Count > 0 ? parents[0].Id : record.Id), ["rbind", "ro"])]
            : [new Mount("bind", FsPath(record.Id), ["rbind", "rw"])];
}
