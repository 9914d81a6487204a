using Berth.Core.Snapshots;
using Berth.Storage.Snapshots;
using Berth.Testing.Snapshots;

namespace Berth.Storage.Tests.Snapshots;

public sealed class OverlaySnapshotterConformanceTests : SnapshotterConformance
{
    protected override ISnapshotter CreateSnapshotter(string root) => new OverlaySnapshotter(root);
}
