using Berth.Core.Mounts;
using Berth.Linux;
using Berth.Storage.Snapshots;
using Berth.Storage.Tests.Content;
using Berth.Testing.Snapshots;

namespace Berth.Storage.Tests.Snapshots;

public sealed class NativeSnapshotterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Prepare_on_a_parent_copies_its_tree_with_links_modes_and_times()
    {
        var snapshotter = new NativeSnapshotter(_temp.Path);
        string parentFs = Assert.Single(await snapshotter.PrepareAsync("extract", null, cancellationToken: Ct)).Source;
        Directory.CreateDirectory(Path.Combine(parentFs, "bin"));
        await File.WriteAllTextAsync(Path.Combine(parentFs, "bin", "tool"), "#!", Ct);
        File.SetUnixFileMode(Path.Combine(parentFs, "bin", "tool"), (UnixFileMode)0x1ed);
        File.CreateSymbolicLink(Path.Combine(parentFs, "link"), "bin/tool");
        FileSystemOps.LinkAt(FileSystemOps.OpenRoot(Path.Combine(parentFs, "bin")), "tool", FileSystemOps.OpenRoot(parentFs), "hard");
        File.SetLastWriteTimeUtc(Path.Combine(parentFs, "bin", "tool"), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        File.SetUnixFileMode(Path.Combine(parentFs, "bin"), (UnixFileMode)0x1c0);
        Directory.SetLastWriteTimeUtc(Path.Combine(parentFs, "bin"), new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        await snapshotter.CommitAsync("base", "extract", cancellationToken: Ct);

        Mount mount = Assert.Single(await snapshotter.PrepareAsync("c", "base", cancellationToken: Ct));

        Assert.Equal("bind", mount.Type);
        Assert.NotEqual(parentFs, mount.Source);
        string fs = mount.Source;
        Assert.Equal("#!", await File.ReadAllTextAsync(Path.Combine(fs, "bin", "tool"), Ct));
        FileStatus tool = FileSystemOps.Stat(Path.Combine(fs, "bin", "tool"));
        Assert.Equal(0x1ed, tool.Permissions);
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), tool.MtimeSeconds);
        Assert.Equal(tool.Inode, FileSystemOps.Stat(Path.Combine(fs, "hard")).Inode);
        Assert.NotEqual(FileSystemOps.Stat(Path.Combine(parentFs, "hard")).Inode, tool.Inode);
        Assert.Equal("bin/tool", new FileInfo(Path.Combine(fs, "link")).LinkTarget);
        FileStatus bin = FileSystemOps.Stat(Path.Combine(fs, "bin"));
        Assert.Equal(0x1c0, bin.Permissions);
        Assert.Equal(new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), bin.MtimeSeconds);
    }

    [Fact]
    public async Task A_view_binds_its_committed_parent_read_only_without_copying()
    {
        var snapshotter = new NativeSnapshotter(_temp.Path);
        string parentFs = Assert.Single(await snapshotter.PrepareAsync("extract", null, cancellationToken: Ct)).Source;
        await snapshotter.CommitAsync("base", "extract", cancellationToken: Ct);

        Mount view = Assert.Single(await snapshotter.ViewAsync("v", "base", cancellationToken: Ct));

        Assert.Equal(MountText.Of(new Mount("bind", parentFs, ["rbind", "ro"])), MountText.Of(view));
    }
}
