using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Core.Snapshots;

namespace Berth.Testing.Snapshots;

/// <summary>
/// What every <see cref="ISnapshotter"/> must do with its metadata (after containerd's snapshotter testsuite), with no
/// mount and no root. Derive and implement <see cref="CreateSnapshotter"/>; <see cref="SnapshotterMountConformance"/>
/// holds the privileged half that mounts what the snapshotter returns.
/// </summary>
public abstract class SnapshotterConformance : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("berth-snapshots-").FullName;

    /// <summary>A snapshotter on <paramref name="root"/>; called again with the same root to check persistence.</summary>
    protected abstract ISnapshotter CreateSnapshotter(string root);

    protected string Root => Path.Combine(_base, "root");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Directory.Delete(_base, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Prepare_without_parent_makes_an_active_snapshot_with_one_writable_mount()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        var labels = new Dictionary<string, string> { ["containerd.io/gc.root"] = "x" };

        IReadOnlyList<Mount> mounts = await snapshotter.PrepareAsync("active-1", null, labels, Ct);

        Mount mount = Assert.Single(mounts);
        Assert.DoesNotContain("ro", mount.Options);
        SnapshotInfo? info = await snapshotter.StatAsync("active-1", Ct);
        Assert.NotNull(info);
        Assert.Equal(("active-1", (string?)null, SnapshotKind.Active), (info.Name, info.Parent, info.Kind));
        Assert.Equal("x", info.Labels["containerd.io/gc.root"]);
        Assert.Equal(MountText.Of(mounts), MountText.Of(await snapshotter.MountsAsync("active-1", Ct)));
    }

    [Fact]
    public async Task Another_instance_on_the_same_root_sees_each_change_as_soon_as_it_is_made()
    {
        ISnapshotter reader = CreateSnapshotter(Root);
        ISnapshotter writer = CreateSnapshotter(Root);
        await writer.PrepareAsync("a", null, cancellationToken: Ct);
        Assert.NotNull(await reader.StatAsync("a", Ct));

        // Several changes in a row, quicker than the file system's timestamps tick: each must still be seen.
        for (int i = 0; i < 5; i++)
        {
            await writer.PrepareAsync($"b{i}", null, cancellationToken: Ct);
            Assert.NotNull(await reader.StatAsync($"b{i}", Ct));
            await writer.RemoveAsync($"b{i}", Ct);
            Assert.Null(await reader.StatAsync($"b{i}", Ct));
        }

        await reader.CommitAsync("c", "a", cancellationToken: Ct);
        Assert.Equal(SnapshotKind.Committed, (await writer.StatAsync("c", Ct))?.Kind);
        Assert.Null(await writer.StatAsync("a", Ct));
    }

    [Fact]
    public async Task A_refused_change_leaves_the_table_as_it_was()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await snapshotter.PrepareAsync("a", null, cancellationToken: Ct);
        await snapshotter.PrepareAsync("b", null, cancellationToken: Ct);
        await snapshotter.CommitAsync("base", "b", cancellationToken: Ct);
        await snapshotter.PrepareAsync("child", "base", cancellationToken: Ct);

        await Assert.ThrowsAsync<BerthException>(() => snapshotter.CommitAsync("base", "a", cancellationToken: Ct));
        await Assert.ThrowsAsync<BerthException>(() => snapshotter.RemoveAsync("base", Ct));

        Assert.Equal(SnapshotKind.Active, (await snapshotter.StatAsync("a", Ct))?.Kind);
        Assert.Equal(SnapshotKind.Committed, (await snapshotter.StatAsync("base", Ct))?.Kind);
        Assert.Equal("base", (await snapshotter.StatAsync("child", Ct))?.Parent);
        Assert.Equal(["a", "base", "child"], (await CreateSnapshotter(Root).ListAsync(Ct).Select(i => i.Name).ToListAsync(Ct)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Commit_renames_the_key_to_the_name_and_makes_it_committed()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await snapshotter.PrepareAsync("extract-1", null, cancellationToken: Ct);

        await snapshotter.CommitAsync("sha256:layer1", "extract-1", new Dictionary<string, string> { ["l"] = "v" }, Ct);

        Assert.Null(await snapshotter.StatAsync("extract-1", Ct));
        SnapshotInfo? committed = await snapshotter.StatAsync("sha256:layer1", Ct);
        Assert.NotNull(committed);
        Assert.Equal(SnapshotKind.Committed, committed.Kind);
        Assert.Equal("v", committed.Labels["l"]);
        var missing = await Assert.ThrowsAsync<BerthException>(() => snapshotter.MountsAsync("extract-1", Ct));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task A_chain_records_each_parent()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await CommitChainAsync(snapshotter, "l1", "l2", "l3");

        await snapshotter.PrepareAsync("container", "l3", cancellationToken: Ct);

        Assert.Equal("l3", (await snapshotter.StatAsync("container", Ct))!.Parent);
        Assert.Equal("l2", (await snapshotter.StatAsync("l3", Ct))!.Parent);
        Assert.Equal("l1", (await snapshotter.StatAsync("l2", Ct))!.Parent);
        Assert.Null((await snapshotter.StatAsync("l1", Ct))!.Parent);
        List<SnapshotInfo> all = await ToListAsync(snapshotter.ListAsync(Ct));
        Assert.Equal(["container", "l1", "l2", "l3"], all.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_view_is_read_only_and_cannot_be_committed()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await CommitChainAsync(snapshotter, "l1", "l2");

        IReadOnlyList<Mount> one = await snapshotter.ViewAsync("view-1", "l1", cancellationToken: Ct);
        IReadOnlyList<Mount> two = await snapshotter.ViewAsync("view-2", "l2", cancellationToken: Ct);

        Assert.True(IsReadOnly(Assert.Single(one)));
        Assert.True(IsReadOnly(Assert.Single(two)));
        Assert.Equal(SnapshotKind.View, (await snapshotter.StatAsync("view-1", Ct))!.Kind);
        var ex = await Assert.ThrowsAsync<BerthException>(() => snapshotter.CommitAsync("nope", "view-1", cancellationToken: Ct));
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Null(await snapshotter.StatAsync("nope", Ct));
    }

    [Fact]
    public async Task Taken_keys_and_names_are_AlreadyExists()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await CommitChainAsync(snapshotter, "l1");
        await snapshotter.PrepareAsync("k", null, cancellationToken: Ct);

        Assert.Equal(ErrorKind.AlreadyExists, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.PrepareAsync("k", null, cancellationToken: Ct))).Kind);
        Assert.Equal(ErrorKind.AlreadyExists, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.ViewAsync("l1", null, cancellationToken: Ct))).Kind);
        Assert.Equal(ErrorKind.AlreadyExists, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.CommitAsync("l1", "k", cancellationToken: Ct))).Kind);
        Assert.Equal(SnapshotKind.Active, (await snapshotter.StatAsync("k", Ct))!.Kind);
    }

    [Fact]
    public async Task Unknown_keys_and_parents_are_NotFound()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);

        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.PrepareAsync("k", "missing", cancellationToken: Ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.CommitAsync("n", "missing", cancellationToken: Ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.RemoveAsync("missing", Ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.MountsAsync("missing", Ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.UsageAsync("missing", Ct))).Kind);
        Assert.Null(await snapshotter.StatAsync("missing", Ct));
        Assert.Null(await snapshotter.StatAsync("k", Ct));
    }

    [Fact]
    public async Task A_parent_must_be_committed()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await snapshotter.PrepareAsync("active", null, cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<BerthException>(() => snapshotter.PrepareAsync("child", "active", cancellationToken: Ct));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Null(await snapshotter.StatAsync("child", Ct));
    }

    [Fact]
    public async Task Remove_refuses_while_children_exist_then_succeeds()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await CommitChainAsync(snapshotter, "l1", "l2");
        await snapshotter.ViewAsync("view", "l2", cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<BerthException>(() => snapshotter.RemoveAsync("l2", Ct));
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("view", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.FailedPrecondition, (await Assert.ThrowsAsync<BerthException>(() => snapshotter.RemoveAsync("l1", Ct))).Kind);

        await snapshotter.RemoveAsync("view", Ct);
        await snapshotter.RemoveAsync("l2", Ct);
        await snapshotter.RemoveAsync("l1", Ct);

        Assert.Empty(await ToListAsync(snapshotter.ListAsync(Ct)));
    }

    [Fact]
    public async Task Metadata_survives_reopening_the_root()
    {
        ISnapshotter first = CreateSnapshotter(Root);
        await CommitChainAsync(first, "l1");
        IReadOnlyList<Mount> mounts = await first.PrepareAsync("c", "l1", cancellationToken: Ct);

        ISnapshotter second = CreateSnapshotter(Root);

        Assert.Equal(SnapshotKind.Committed, (await second.StatAsync("l1", Ct))!.Kind);
        Assert.Equal(MountText.Of(mounts), MountText.Of(await second.MountsAsync("c", Ct)));
        await second.PrepareAsync("d", "l1", cancellationToken: Ct);
        Assert.NotEqual(MountText.Of(mounts), MountText.Of(await second.MountsAsync("d", Ct)));
    }

    [Fact]
    public async Task Concurrent_prepares_of_distinct_keys_all_land()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await CommitChainAsync(snapshotter, "base");

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => snapshotter.PrepareAsync($"c{i}", "base", cancellationToken: Ct)));

        List<SnapshotInfo> all = await ToListAsync(snapshotter.ListAsync(Ct));
        Assert.Equal(17, all.Count);
        var distinctMounts = new HashSet<string>();
        for (int i = 0; i < 16; i++)
        {
            distinctMounts.Add(string.Join(',', (await snapshotter.MountsAsync($"c{i}", Ct)).SelectMany(m => m.Options.Prepend(m.Source))));
        }

        Assert.Equal(16, distinctMounts.Count);
    }

    [Fact]
    public async Task A_new_snapshot_uses_nothing()
    {
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await snapshotter.PrepareAsync("k", null, cancellationToken: Ct);

        SnapshotUsage usage = await snapshotter.UsageAsync("k", Ct);

        Assert.Equal(0, usage.Size);
    }

    /// <summary>Prepares and commits each name in turn, each on the previous one.</summary>
    protected static async Task CommitChainAsync(ISnapshotter snapshotter, params string[] names)
    {
        string? parent = null;
        foreach (string name in names)
        {
            await snapshotter.PrepareAsync($"extract-{name}", parent, cancellationToken: Ct);
            await snapshotter.CommitAsync(name, $"extract-{name}", cancellationToken: Ct);
            parent = name;
        }
    }

    protected static bool IsReadOnly(Mount mount) =>
        mount.Options.Contains("ro") || (mount.Type == "overlay" && !mount.Options.Any(o => o.StartsWith("upperdir=", StringComparison.Ordinal)));

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (T item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
