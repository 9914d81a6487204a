using Berth.Daemon.Containers;
using Berth.Linux;

namespace Berth.Daemon.Tests.Containers;

/// <summary>Containers' data directories recycled on a real filesystem.</summary>
public sealed class DataDirectoryPoolTests : IDisposable
{
    private const string Old = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string New = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private readonly string _parent = Directory.CreateTempSubdirectory("berth-datadirs-").FullName;

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Fact]
    public void A_removed_container_s_directory_and_files_become_the_next_one_s_emptied_of_what_it_had()
    {
        var pool = new DataDirectoryPool(_parent);
        string old = Path.Combine(_parent, Old), fresh = Path.Combine(_parent, New);
        pool.Take(old, Old);
        File.WriteAllText(Path.Combine(old, "hosts"), "127.0.0.1 localhost\n");
        File.WriteAllText(Path.Combine(old, Old + "-json.log"), "{\"log\":\"secret\\n\"}\n");
        File.WriteAllText(Path.Combine(old, Old + "-json.log.1"), "older\n");
        Directory.CreateDirectory(Path.Combine(old, "checkpoints", "x"));
        ulong directory = FileSystemOps.Stat(old).Inode, hosts = FileSystemOps.Stat(Path.Combine(old, "hosts")).Inode,
            log = FileSystemOps.Stat(Path.Combine(old, Old + "-json.log")).Inode;

        pool.Park(old, Old);
        Assert.False(Directory.Exists(old));
        pool.Take(fresh, New);

        Assert.Equal(directory, FileSystemOps.Stat(fresh).Inode);
        Assert.Equal(hosts, FileSystemOps.Stat(Path.Combine(fresh, "hosts")).Inode);
        Assert.Equal(log, FileSystemOps.Stat(Path.Combine(fresh, New + "-json.log")).Inode);
        Assert.Equal([New + "-json.log", "hosts"], Directory.EnumerateFileSystemEntries(fresh).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.EnumerateFiles(fresh), f => Assert.Equal(0, new FileInfo(f).Length));
        Assert.Equal([New], Directory.EnumerateFileSystemEntries(_parent).Select(Path.GetFileName));
    }

    [Fact]
    public void Without_a_spare_a_new_directory_is_made_and_a_restarted_daemon_finds_the_parked_ones()
    {
        string first = Path.Combine(_parent, Old);
        new DataDirectoryPool(_parent).Take(first, Old);
        Assert.True(Directory.Exists(first));
        new DataDirectoryPool(_parent).Park(first, Old);

        string second = Path.Combine(_parent, New);
        new DataDirectoryPool(_parent).Take(second, New);

        Assert.Equal([New], Directory.EnumerateFileSystemEntries(_parent).Select(Path.GetFileName));
    }

    [Fact]
    public void Parking_a_directory_that_is_gone_does_nothing()
    {
        new DataDirectoryPool(_parent).Park(Path.Combine(_parent, Old), Old);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_parent));
    }
}
