using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Storage.Snapshots;
using Berth.Storage.Tests.Content;
using Berth.Testing.Snapshots;

namespace Berth.Storage.Tests.Snapshots;

public sealed class OverlaySnapshotterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_base_layer_is_a_bind_of_its_fs_dir()
    {
        var snapshotter = new OverlaySnapshotter(_temp.Path);

        IReadOnlyList<Mount> mounts = await snapshotter.PrepareAsync("k", null, cancellationToken: Ct);

        Assert.Equal(MountText.Of(new Mount("bind", Path.Combine(_temp.Path, "snapshots", "1", "fs"), ["rbind", "rw"])), MountText.Of(mounts));
    }

    [Fact]
    public async Task Lowerdirs_list_the_parents_newest_first_with_upper_and_work_of_the_snapshot()
    {
        var snapshotter = new OverlaySnapshotter(_temp.Path);
        await CommitAsync(snapshotter, "l1", null);
        await CommitAsync(snapshotter, "l2", "l1");
        await CommitAsync(snapshotter, "l3", "l2");
        string S(int id, string dir = "fs") => Path.Combine(_temp.Path, "snapshots", id.ToString(System.Globalization.CultureInfo.InvariantCulture), dir);

        Mount active = Assert.Single(await snapshotter.PrepareAsync("c", "l3", cancellationToken: Ct));
        Mount view = Assert.Single(await snapshotter.ViewAsync("v", "l3", cancellationToken: Ct));
        Mount single = Assert.Single(await snapshotter.ViewAsync("v1", "l1", cancellationToken: Ct));

        Assert.Equal("overlay", active.Type);
        Assert.Equal([$"lowerdir={S(3)}:{S(2)}:{S(1)}", $"upperdir={S(4)}", $"workdir={S(4, "work")}"], active.Options);
        Assert.True(Directory.Exists(S(4, "work")));
        Assert.Equal(MountText.Of(new Mount("overlay", "overlay", [$"lowerdir={S(3)}:{S(2)}:{S(1)}"])), MountText.Of(view));
        Assert.Equal(MountText.Of(new Mount("bind", S(1), ["rbind", "ro"])), MountText.Of(single));
        Assert.False(Directory.Exists(S(2, "work")));
    }

    [Fact]
    public async Task A_chain_too_long_for_one_mount_call_is_refused_and_leaves_nothing()
    {
        string deepRoot = Path.Combine(_temp.Path, new string('r', 200));
        var snapshotter = new OverlaySnapshotter(deepRoot);
        string? parent = null;
        int layers = 0;
        BerthException? refused = null;
        while (refused is null)
        {
            try
            {
                await snapshotter.PrepareAsync("c", parent, cancellationToken: Ct);
                await snapshotter.CommitAsync($"l{layers}", "c", cancellationToken: Ct);
                parent = $"l{layers++}";
            }
            catch (BerthException ex)
            {
                refused = ex;
            }
        }

        Assert.Equal(ErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains($"{layers} parent layers need", refused.Message, StringComparison.Ordinal);
        Assert.InRange(layers, 10, 20);
        Assert.Null(await snapshotter.StatAsync("c", Ct));
        Assert.Equal(layers, Directory.GetDirectories(Path.Combine(deepRoot, "snapshots")).Length);
    }

    [Fact]
    public async Task Remove_deletes_the_layer_directory()
    {
        var snapshotter = new OverlaySnapshotter(_temp.Path);
        await snapshotter.PrepareAsync("k", null, cancellationToken: Ct);
        await File.WriteAllTextAsync(Path.Combine(_temp.Path, "snapshots", "1", "fs", "f"), "x", Ct);

        await snapshotter.RemoveAsync("k", Ct);

        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "snapshots", "1")));
    }

    [Fact]
    public async Task Usage_counts_bytes_once_per_inode()
    {
        var snapshotter = new OverlaySnapshotter(_temp.Path);
        string fs = Assert.Single(await snapshotter.PrepareAsync("k", null, cancellationToken: Ct)).Source;
        Directory.CreateDirectory(Path.Combine(fs, "d"));
        await File.WriteAllBytesAsync(Path.Combine(fs, "d", "a"), new byte[1000], Ct);
        File.CreateSymbolicLink(Path.Combine(fs, "s"), "d");
        Berth.Linux.LinuxSyscalls.Instance.Touch(Path.Combine(fs, "e"));

        var usage = await snapshotter.UsageAsync("k", Ct);

        Assert.Equal(1001, usage.Size);
        Assert.Equal(4, usage.Inodes);
    }

    [Fact]
    public async Task A_snapshot_prepared_without_parent_is_rebased_onto_a_committed_one_keeping_its_files()
    {
        var snapshotter = new OverlaySnapshotter(_temp.Path);
        string S(int id, string dir = "fs") => Path.Combine(_temp.Path, "snapshots", id.ToString(System.Globalization.CultureInfo.InvariantCulture), dir);
        await snapshotter.PrepareAsync("detached", null, cancellationToken: Ct);
        File.WriteAllText(Path.Combine(S(1), "file"), "unpacked before the parent was committed");
        await CommitAsync(snapshotter, "l1", null);
        await CommitAsync(snapshotter, "l2", "l1");

        Mount rebased = Assert.Single(await snapshotter.RebaseAsync("detached", "l2", Ct));
        await snapshotter.CommitAsync("l3", "detached", cancellationToken: Ct);

        Assert.Equal([$"lowerdir={S(3)}:{S(2)}", $"upperdir={S(1)}", $"workdir={S(1, "work")}"], rebased.Options);
        Assert.Equal("l2", (await snapshotter.StatAsync("l3", Ct))?.Parent);
        Assert.Equal("unpacked before the parent was committed", File.ReadAllText(Path.Combine(S(1), "file")));
        Mount child = Assert.Single(await snapshotter.ViewAsync("v", "l3", cancellationToken: Ct));
        Assert.Equal([$"lowerdir={S(1)}:{S(3)}:{S(2)}"], child.Options);
    }

    [Fact]
    public async Task Only_an_active_snapshot_without_parent_is_rebased_and_only_onto_a_committed_one()
    {
        var snapshotter = new OverlaySnapshotter(_temp.Path);
        await CommitAsync(snapshotter, "l1", null);
        await snapshotter.PrepareAsync("on-l1", "l1", cancellationToken: Ct);
        await snapshotter.PrepareAsync("active", null, cancellationToken: Ct);
        await snapshotter.PrepareAsync("detached", null, cancellationToken: Ct);

        Assert.Equal(ErrorKind.FailedPrecondition, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.RebaseAsync("on-l1", "l1", Ct))).Kind);
        Assert.Equal(ErrorKind.FailedPrecondition, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.RebaseAsync("l1", "l1", Ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.RebaseAsync("detached", "missing", Ct))).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.RebaseAsync("detached", "active", Ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.RebaseAsync("missing", "l1", Ct))).Kind);
        Assert.Null((await snapshotter.StatAsync("detached", Ct))?.Parent);
    }

    private static async Task CommitAsync(OverlaySnapshotter snapshotter, string name, string? parent)
    {
        await snapshotter.PrepareAsync("extract-" + name, parent, cancellationToken: Ct);
        await snapshotter.CommitAsync(name, "extract-" + name, cancellationToken: Ct);
    }
}
