using Berth.Daemon.Hosting;
using Berth.Linux;
using Berth.Testing.Linux;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Daemon.Tests.Hosting;

/// <summary>What berthd decides about its exec-root's filesystem; the mount itself is exercised against the kernel in the integration tests.</summary>
public sealed class ExecRootFileSystemTests : IDisposable
{
    private const long Ext4 = 0xEF53;

    private readonly string _root = Directory.CreateTempSubdirectory("berth-execroot-").FullName;
    private readonly RecordingSyscalls _syscalls = new();

    private string ExecRoot => Path.Combine(_root, "exec");

    private string Shims => Path.Combine(ExecRoot, "s");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void An_empty_exec_root_on_disk_gets_a_tmpfs_with_its_mode_and_loses_it_at_shutdown()
    {
        Directory.CreateDirectory(ExecRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

        using (ExecRootFileSystem fs = Prepare(Ext4))
        {
            Assert.True(fs.Owned);
            Assert.Equal([$"mount berth-exec-root {ExecRoot} tmpfs NoSuid, NoDev mode=711"], _syscalls.Calls);
        }

        Assert.Equal($"umount {ExecRoot} None", _syscalls.Calls[^1]);
    }

    [Fact]
    public void A_missing_exec_root_is_created_and_mounted()
    {
        using ExecRootFileSystem fs = Prepare(Ext4);

        Assert.True(Directory.Exists(ExecRoot));
        Assert.Single(_syscalls.CallsStartingWith("mount berth-exec-root"));
    }

    [Fact]
    public void An_exec_root_on_disk_that_holds_anything_is_left_as_it_is()
    {
        Directory.CreateDirectory(Path.Combine(ExecRoot, "containers"));

        using (ExecRootFileSystem fs = Prepare(Ext4))
        {
            Assert.False(fs.Owned);
        }

        Assert.Empty(_syscalls.Calls);
    }

    [Fact]
    public void Where_no_tmpfs_may_be_mounted_the_daemon_goes_on_on_the_disk()
    {
        _syscalls.FailOn = ("mount", Errno.EPERM);

        using (ExecRootFileSystem fs = Prepare(Ext4))
        {
            Assert.False(fs.Owned);
        }

        Assert.Empty(_syscalls.CallsStartingWith("umount"));
    }

    [Theory]
    [InlineData(FileSystemMagic.Tmpfs)]
    [InlineData(FileSystemMagic.Ramfs)]
    public void An_exec_root_already_in_memory_is_not_mounted_again(long type)
    {
        using (ExecRootFileSystem fs = Prepare(type))
        {
            Assert.False(fs.Owned);
        }

        Assert.Empty(_syscalls.Calls);
    }

    [Fact]
    public void After_a_crash_the_tmpfs_berthd_mounted_is_its_own_again_and_stays_while_a_shim_lives_in_it()
    {
        string[] mountInfo = [$"40 30 0:50 / {ExecRoot} rw,nosuid,nodev,relatime shared:9 - tmpfs {ExecRootFileSystem.Source} rw,mode=711"];
        Directory.CreateDirectory(Path.Combine(Shims, "0123456789abcdef"));

        using (ExecRootFileSystem fs = Prepare(FileSystemMagic.Tmpfs, mountInfo))
        {
            Assert.True(fs.Owned);
        }

        Assert.Empty(_syscalls.Calls);

        Directory.Delete(Path.Combine(Shims, "0123456789abcdef"));
        using (Prepare(FileSystemMagic.Tmpfs, mountInfo))
        {
        }

        Assert.Equal([$"umount {ExecRoot} None"], _syscalls.Calls);
    }

    [Fact]
    public void A_busy_tmpfs_stays_mounted()
    {
        _syscalls.FailOn = ("umount", Errno.EBUSY);

        using ExecRootFileSystem fs = Prepare(Ext4);
        fs.Dispose();

        Assert.True(fs.Owned);
    }

    [Fact]
    public void Only_the_topmost_mount_on_the_exec_root_counts()
    {
        const string path = "/run/my berth";
        string ours = $"40 30 0:50 / /run/my\\040berth rw - tmpfs {ExecRootFileSystem.Source} rw";
        string other = "41 40 0:51 / /run/my\\040berth rw - tmpfs tmpfs rw";
        string below = "42 40 0:52 / /run/my\\040berth/s rw - tmpfs tmpfs rw";

        Assert.True(ExecRootFileSystem.IsOurTmpfs(path, [ours, below]));
        Assert.False(ExecRootFileSystem.IsOurTmpfs(path, [ours, other]));
        Assert.False(ExecRootFileSystem.IsOurTmpfs(path, ["40 30 0:50 / /run/berth rw - tmpfs berth-exec-root rw"]));
        Assert.False(ExecRootFileSystem.IsOurTmpfs(path, []));
    }

    private ExecRootFileSystem Prepare(long type, string[]? mountInfo = null) =>
        ExecRootFileSystem.Prepare(ExecRoot, Shims, _syscalls, _ => type, () => mountInfo ?? [], NullLogger.Instance);
}
