namespace Berth.Linux.Tests;

/// <summary>statx's mount-root attribute against the real kernel (5.8 and later say it; CI's does).</summary>
public sealed class MountRootTests
{
    [Fact]
    public void Tells_a_mount_s_root_from_a_directory_inside_it()
    {
        Assert.True(FileSystemOps.IsMountRoot("/proc"));
        Assert.True(FileSystemOps.IsMountRoot("/"));
        Assert.False(FileSystemOps.IsMountRoot("/proc/sys/kernel"));
        string fresh = Directory.CreateTempSubdirectory("berth-mountroot-").FullName;
        try
        {
            Assert.False(FileSystemOps.IsMountRoot(fresh));
        }
        finally
        {
            Directory.Delete(fresh);
        }
    }

    [Fact]
    public void A_missing_path_is_an_error_naming_it()
    {
        var ex = Assert.Throws<LinuxException>(() => FileSystemOps.IsMountRoot("/nonexistent-berth-path"));

        Assert.Equal(Errno.ENOENT, ex.Errno);
        Assert.Contains("/nonexistent-berth-path", ex.Message, StringComparison.Ordinal);
    }
}
