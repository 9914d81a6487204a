using Berth.Core.Mounts;
using Berth.Core.Snapshots;
using Berth.Linux;

namespace Berth.Testing.Snapshots;

/// <summary>
/// The privileged half of the snapshotter conformance: mounts what the snapshotter returns and checks what the
/// kernel then shows. Layers are written through the mounts (so the kernel, not our applier, makes any whiteouts),
/// deletions and replaced directories must not show through, views must be read-only, and nothing stays mounted.
/// </summary>
public abstract class SnapshotterMountConformance : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("berth-snapshots-mount-").FullName;

    protected string Root => Path.Combine(_base, "root");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Declares (skips or fails) what the snapshotter needs: root, overlayfs.</summary>
    protected abstract void RequireSupport();

    protected abstract ISnapshotter CreateSnapshotter(string root);

    public void Dispose()
    {
        foreach (string mountPoint in MountsUnder(_base))
        {
            LinuxSyscalls.Instance.TryUnmount(mountPoint, UnmountFlags.Detach);
        }

        Directory.Delete(_base, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    [Trait("Category", "Privileged")]
    public async Task Deleted_files_and_replaced_directories_do_not_show_through_and_views_are_read_only()
    {
        RequireSupport();
        ISnapshotter snapshotter = CreateSnapshotter(Root);

        await WriteLayerAsync(snapshotter, "l1", null, dir =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "etc"));
            File.WriteAllText(Path.Combine(dir, "etc", "motd"), "hello");
            File.WriteAllText(Path.Combine(dir, "etc", "keep"), "kept");
            Directory.CreateDirectory(Path.Combine(dir, "data", "sub"));
            File.WriteAllText(Path.Combine(dir, "data", "old"), "old");
            File.WriteAllText(Path.Combine(dir, "data", "sub", "old2"), "old");
        });
        await WriteLayerAsync(snapshotter, "l2", "l1", dir =>
        {
            File.Delete(Path.Combine(dir, "etc", "motd"));
            Directory.Delete(Path.Combine(dir, "data"), recursive: true);
            Directory.CreateDirectory(Path.Combine(dir, "data"));
            File.WriteAllText(Path.Combine(dir, "data", "new"), "new");
        });
        await WriteLayerAsync(snapshotter, "l3", "l2", dir => File.WriteAllText(Path.Combine(dir, "top"), "top"));

        using (MountedSnapshot view = MountedSnapshot.Mount(await snapshotter.ViewAsync("view", "l3", cancellationToken: Ct), Path.Combine(_base, "view")))
        {
            Assert.False(File.Exists(Path.Combine(view.Target, "etc", "motd")));
            Assert.Equal("kept", File.ReadAllText(Path.Combine(view.Target, "etc", "keep")));
            Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(view.Target, "data")).Select(Path.GetFileName));
            Assert.Equal("top", File.ReadAllText(Path.Combine(view.Target, "top")));
            var error = Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(view.Target, "w"), "x"));
            Assert.Contains("Read-only", error.Message, StringComparison.OrdinalIgnoreCase);
        }

        using (MountedSnapshot single = MountedSnapshot.Mount(await snapshotter.ViewAsync("view1", "l1", cancellationToken: Ct), Path.Combine(_base, "view1")))
        {
            Assert.Equal("hello", File.ReadAllText(Path.Combine(single.Target, "etc", "motd")));
            Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(single.Target, "w"), "x"));
        }

        Assert.Empty(MountsUnder(_base));
        await snapshotter.RemoveAsync("view", Ct);
        await snapshotter.RemoveAsync("view1", Ct);
    }

    [Fact]
    [Trait("Category", "Privileged")]
    public async Task Writes_to_an_active_snapshot_land_in_its_own_layer_and_leave_the_parent_unchanged()
    {
        RequireSupport();
        ISnapshotter snapshotter = CreateSnapshotter(Root);
        await WriteLayerAsync(snapshotter, "base", null, dir => File.WriteAllText(Path.Combine(dir, "f"), "base"));
        SnapshotUsage before;

        IReadOnlyList<Mount> mounts = await snapshotter.PrepareAsync("container", "base", cancellationToken: Ct);
        before = await snapshotter.UsageAsync("container", Ct);
        using (MountedSnapshot active = MountedSnapshot.Mount(mounts, Path.Combine(_base, "active")))
        {
            File.WriteAllText(Path.Combine(active.Target, "f"), "changed by the container");
            File.WriteAllBytes(Path.Combine(active.Target, "big"), new byte[100_000]);
        }

        SnapshotUsage after = await snapshotter.UsageAsync("container", Ct);
        Assert.True(after.Size >= before.Size + 100_000, $"usage {before} → {after}");
        using (MountedSnapshot view = MountedSnapshot.Mount(await snapshotter.ViewAsync("v", "base", cancellationToken: Ct), Path.Combine(_base, "v")))
        {
            Assert.Equal("base", File.ReadAllText(Path.Combine(view.Target, "f")));
            Assert.False(File.Exists(Path.Combine(view.Target, "big")));
        }

        await snapshotter.RemoveAsync("container", Ct);
        await snapshotter.RemoveAsync("v", Ct);
        await snapshotter.RemoveAsync("base", Ct);
        Assert.Empty(MountsUnder(_base));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Root, "snapshots")));
    }

    /// <summary>Prepares <paramref name="name"/> on <paramref name="parent"/>, mounts it, lets <paramref name="write"/>
    /// change the tree, unmounts and commits.</summary>
    protected async Task WriteLayerAsync(ISnapshotter snapshotter, string name, string? parent, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(snapshotter);
        ArgumentNullException.ThrowIfNull(write);
        IReadOnlyList<Mount> mounts = await snapshotter.PrepareAsync("extract-" + name, parent, cancellationToken: Ct);
        using (MountedSnapshot mounted = MountedSnapshot.Mount(mounts, Path.Combine(_base, "extract-" + name)))
        {
            write(mounted.Target);
        }

        await snapshotter.CommitAsync(name, "extract-" + name, cancellationToken: Ct);
    }

    /// <summary>Mount points at or under <paramref name="dir"/> in this mount namespace (/proc/self/mountinfo).</summary>
    public static IReadOnlyList<string> MountsUnder(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        string prefix = dir.TrimEnd('/') + "/";
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(mountPoint => mountPoint == dir.TrimEnd('/') || mountPoint.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(mountPoint => mountPoint.Length)
            .ToList();
    }
}
