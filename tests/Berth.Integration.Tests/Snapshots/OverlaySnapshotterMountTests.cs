using Berth.Core.Snapshots;
using Berth.Storage.Snapshots;
using Berth.Testing;
using Berth.Testing.Snapshots;

namespace Berth.Integration.Tests.Snapshots;

public sealed class OverlaySnapshotterMountTests : SnapshotterMountConformance
{
    protected override void RequireSupport()
    {
        Requires.Root().Overlayfs();
        Directory.CreateDirectory(Root);
        Assert.True(OverlaySnapshotter.IsSupported(Root), $"an overlay mount with an upperdir under {Root} failed");
    }

    protected override ISnapshotter CreateSnapshotter(string root) => new OverlaySnapshotter(root);
}
