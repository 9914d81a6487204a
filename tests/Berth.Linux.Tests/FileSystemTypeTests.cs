namespace Berth.Linux.Tests;

/// <summary>statfs's filesystem type against the real kernel.</summary>
public sealed class FileSystemTypeTests
{
    private const long ProcMagic = 0x9fa0;

    [Fact]
    public void Tells_the_filesystem_a_path_is_on()
    {
        Assert.Equal(ProcMagic, FileSystemOps.FileSystemType("/proc/self"));
        // /dev/shm is a tmpfs wherever glibc's shm_open works: on every Linux this runs on.
        Assert.Equal(FileSystemMagic.Tmpfs, FileSystemOps.FileSystemType("/dev/shm"));
    }

    [Fact]
    public void A_missing_path_is_an_error_naming_it()
    {
        var ex = Assert.Throws<LinuxException>(() => FileSystemOps.FileSystemType("/nonexistent-berth-path"));

        Assert.Equal(Errno.ENOENT, ex.Errno);
        Assert.Contains("/nonexistent-berth-path", ex.Message, StringComparison.Ordinal);
    }
}
