using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Images.Layers;

namespace Berth.Images.Tests.Layers;

public sealed class SnapshotApplyTargetTests
{
    [Fact]
    public void An_overlay_mount_applies_into_its_upperdir_with_overlay_whiteouts()
    {
        var target = SnapshotApplyTarget.From([new Mount("overlay", "overlay", ["lowerdir=/s/1/fs:/s/2/fs", "upperdir=/s/3/fs", "workdir=/s/3/work"])]);

        Assert.Equal(new SnapshotApplyTarget("/s/3/fs", WhiteoutMode.Overlay), target);
    }

    [Fact]
    public void A_writable_bind_mount_applies_into_its_source_with_native_whiteouts()
    {
        var target = SnapshotApplyTarget.From([new Mount("bind", "/s/1/fs", ["rbind", "rw"])]);

        Assert.Equal(new SnapshotApplyTarget("/s/1/fs", WhiteoutMode.Native), target);
    }

    [Theory]
    [InlineData("overlay", "lowerdir=/a:/b")]
    [InlineData("bind", "ro")]
    [InlineData("tmpfs", "rw")]
    public void Read_only_and_unknown_mounts_are_refused(string type, string option)
    {
        var ex = Assert.Throws<BerthException>(() => SnapshotApplyTarget.From([new Mount(type, "/x", [option])]));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }
}
