using Berth.Core.Snapshots;
using Berth.Daemon.Containers;
using Berth.Linux;
using Berth.Storage.Snapshots;

namespace Berth.Daemon.Tests.Containers;

/// <summary>The layer of mount targets an image's containers share, made in a real snapshotter's directories (no mount needed).</summary>
public sealed class MountTargetLayerTests : IDisposable
{
    private const string Chain = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private readonly string _root = Directory.CreateTempSubdirectory("berth-targets-").FullName;
    private readonly OverlaySnapshotter _snapshots;
    private readonly CountingSnapshotter _counted;
    private readonly MountTargetLayer _layer;

    public MountTargetLayerTests()
    {
        _snapshots = new OverlaySnapshotter(_root);
        _counted = new CountingSnapshotter(_snapshots);
        _layer = new MountTargetLayer(_counted, LinuxSyscalls.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _layer.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Holds_empty_targets_in_an_etc_that_keeps_the_image_s_mode_and_is_made_once()
    {
        await CommitImageAsync(fs => Directory.CreateDirectory(Path.Combine(fs, "etc"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute));

        string parent = await _layer.ParentForAsync(Chain, Ct);
        string again = await _layer.ParentForAsync(Chain, Ct);

        Assert.Equal((Chain + "-init", Chain + "-init"), (parent, again));
        SnapshotInfo info = (await _snapshots.StatAsync(parent, Ct))!;
        Assert.Equal((SnapshotKind.Committed, Chain), (info.Kind, info.Parent));
        Assert.True(info.Labels.ContainsKey(SnapshotLabels.KeepWithParent));
        string etc = Path.Combine(LayerDirectory(parent), "etc");
        Assert.Equal(0x1e8 /* 0750 */, FileSystemOps.Stat(etc).Permissions);
        foreach (string name in new[] { "hostname", "hosts", "resolv.conf" })
        {
            FileStatus file = FileSystemOps.Stat(Path.Combine(etc, name));
            Assert.True(file.Type == FileStatus.Regular && file.Size == 0, name);
        }

        Assert.Equal([Chain, parent], await NamesAsync());
    }

    [Fact]
    public async Task An_image_without_etc_gets_one_of_mode_0755()
    {
        await CommitImageAsync(fs => Directory.CreateDirectory(Path.Combine(fs, "bin")));

        string parent = await _layer.ParentForAsync(Chain, Ct);

        Assert.Equal(0x1ed, FileSystemOps.Stat(Path.Combine(LayerDirectory(parent), "etc")).Permissions);
    }

    [Fact]
    public async Task An_image_whose_etc_is_not_a_directory_keeps_its_containers_on_the_image_and_nothing_is_left()
    {
        await CommitImageAsync(fs => File.CreateSymbolicLink(Path.Combine(fs, "etc"), "usr/etc"));

        string parent = await _layer.ParentForAsync(Chain, Ct);
        string again = await _layer.ParentForAsync(Chain, Ct);

        Assert.Equal((Chain, Chain), (parent, again));
        Assert.Equal([Chain], await NamesAsync());
        Assert.Equal(1, _counted.Prepared); // the second container does not try again
    }

    [Fact]
    public async Task Concurrent_containers_of_a_new_image_make_one_layer()
    {
        await CommitImageAsync(fs => Directory.CreateDirectory(Path.Combine(fs, "etc")));

        string[] parents = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _layer.ParentForAsync(Chain, Ct), Ct)));

        Assert.All(parents, p => Assert.Equal(Chain + "-init", p));
        Assert.Equal([Chain, Chain + "-init"], await NamesAsync());
    }

    private async Task CommitImageAsync(Action<string> fill)
    {
        var mounts = await _snapshots.PrepareAsync("extract-image", null, null, Ct);
        fill(mounts[0].Source);
        await _snapshots.CommitAsync(Chain, "extract-image", null, Ct);
    }

    private string LayerDirectory(string name)
    {
        // The layer is the top lowerdir of an overlay prepared on it.
        string probe = "probe-" + Guid.NewGuid().ToString("N");
        var mounts = _snapshots.PrepareAsync(probe, name, null, Ct).GetAwaiter().GetResult();
        string lower = mounts[0].Options.Single(o => o.StartsWith("lowerdir=", StringComparison.Ordinal))["lowerdir=".Length..].Split(':')[0];
        _snapshots.RemoveAsync(probe, Ct).GetAwaiter().GetResult();
        return lower;
    }

    private async Task<List<string>> NamesAsync()
    {
        var names = new List<string>();
        await foreach (SnapshotInfo info in _snapshots.ListAsync(Ct))
        {
            names.Add(info.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
