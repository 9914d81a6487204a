namespace Berth.Linux.Tests;

/// <summary>/proc/self/mountinfo lines, as the kernel writes them and as this process has them.</summary>
public sealed class MountInfoEntryTests
{
    [Fact]
    public void Takes_the_mount_point_unescaped_and_the_type_and_source_after_the_optional_fields()
    {
        MountInfoEntry? entry = MountInfoEntry.Parse(@"40 30 0:50 / /run/my\040dir\134x rw,nosuid shared:9 master:2 - tmpfs berth-exec-root rw,mode=711");

        Assert.Equal(new MountInfoEntry(@"/run/my dir\x", "tmpfs", "berth-exec-root"), entry);
    }

    [Theory]
    [InlineData("")]
    [InlineData("40 30 0:50 / /mnt rw")]
    [InlineData("40 30 0:50 / /mnt rw - tmpfs")]
    public void A_line_of_another_shape_is_no_entry(string line) => Assert.Null(MountInfoEntry.Parse(line));

    [Fact]
    public void This_process_sees_its_proc_mount()
    {
        Assert.Contains(MountInfoEntry.ReadAll(), m => m is { MountPoint: "/proc", FileSystemType: "proc" });
    }
}
