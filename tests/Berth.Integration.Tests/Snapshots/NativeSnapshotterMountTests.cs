using Berth.Core.Snapshots;
using Berth.Storage.Snapshots;
using Berth.Testing;
using Berth.Testing.Snapshots;

namespace Berth.Integration.Tests.Snapshots;

public sealed class NativeSnapshotterMountTests : SnapshotterMountConformance
{
    protected override void RequireSupport() => Requires.Root();

    protected override ISnapshotter CreateSnapshotter(string root) => new NativeSnapshotter(root);
}
