using Berth.Core.Mounts;
using Berth.Core.Snapshots;
using Berth.Images.Layers;
using Berth.Storage.Snapshots;
using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Snapshots;

namespace Berth.Integration.Tests.Snapshots;

/// <summary>
/// Issue 4's acceptance for unpacking: a multi-layer image (whiteouts, an opaque dir, hardlinks, symlinks, setuid,
/// security.capability, a fifo, devices, owners) applied by berth is the same tree — paths, types, modes, owners,
/// xattrs, symlink targets, content hashes, hardlink groups, file mtimes — as <c>umoci unpack</c> makes of it.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class LayerApplyAcceptanceTests(MultiLayerImageFixture image) : IClassFixture<MultiLayerImageFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("berth-snapshots-apply-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (string mountPoint in SnapshotterMountConformance.MountsUnder(_work))
        {
            Berth.Linux.LinuxSyscalls.Instance.TryUnmount(mountPoint, Berth.Linux.UnmountFlags.Detach);
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task The_image_exercises_every_entry_kind()
    {
        Requires.Root().LocalRegistry();
        (OciLayout layout, string umoci) = await image.GetAsync();

        Assert.Equal(3, layout.Layers().Count);
        TreeSnapshot tree = TreeSnapshot.Capture(umoci);
        Assert.Equal("security.capability=" + Convert.ToHexString(TestImages.SetuidNetRawCapability), tree.Entries["usr/bin/ping"].Xattrs);
        Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(umoci, "data/old")).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(umoci, "etc/removed")));
        Assert.False(File.Exists(Path.Combine(umoci, "bin/vi")));
        Assert.Equal("usr/bin/tool", tree.Entries["usr/local/bin/tool"].HardlinkOf);
        Assert.Equal(("fifo", "char", "block"), (tree.Entries["run/fifo"].Type, tree.Entries["dev/null"].Type, tree.Entries["dev/loop7"].Type));
        Assert.Equal("4755", tree.Entries["usr/bin/suid"].Mode);
        Assert.Equal((1000, 1000), (tree.Entries["home/user/.profile"].Uid, tree.Entries["home/user/.profile"].Gid));
    }

    [Fact]
    public async Task Native_apply_of_every_layer_into_one_directory_matches_umoci_unpack()
    {
        Requires.Root().LocalRegistry();
        (OciLayout layout, string umoci) = await image.GetAsync();
        string target = Directory.CreateDirectory(Path.Combine(_work, "rootfs")).FullName;

        foreach ((string mediaType, string blob) in layout.Layers())
        {
            await using Stream tar = OciLayout.OpenLayer(mediaType, blob);
            await new LayerApplier().ApplyAsync(tar, target, WhiteoutMode.Native, Ct);
        }

        TreeSnapshot.Capture(target).AssertSameAs(TreeSnapshot.Capture(umoci), compareMtimes: true);
    }

    [Fact]
    public async Task Layers_stacked_with_the_native_snapshotter_match_umoci_unpack()
    {
        Requires.Root().LocalRegistry();
        await AssertStackMatchesAsync(new NativeSnapshotter(Path.Combine(_work, "native")));
    }

    [Fact]
    public async Task Layers_stacked_with_the_overlay_snapshotter_and_mounted_match_umoci_unpack()
    {
        Requires.Root().LocalRegistry().Overlayfs();
        string root = Path.Combine(_work, "overlay");
        Directory.CreateDirectory(root);
        Assert.True(OverlaySnapshotter.IsSupported(root), $"overlay with an upperdir cannot be mounted under {root}");
        await AssertStackMatchesAsync(new OverlaySnapshotter(root));
    }

    /// <summary>What the pull pipeline does per layer — prepare on the previous chain, apply into the target the
    /// mounts name, commit — then a view of the top mounted and compared.</summary>
    private async Task AssertStackMatchesAsync(ISnapshotter snapshotter)
    {
        (OciLayout layout, string umoci) = await image.GetAsync();
        string? parent = null;
        int n = 0;
        foreach ((string mediaType, string blob) in layout.Layers())
        {
            string key = $"extract-{n}", name = $"layer-{n++}";
            IReadOnlyList<Mount> mounts = await snapshotter.PrepareAsync(key, parent, cancellationToken: Ct);
            await using (Stream tar = OciLayout.OpenLayer(mediaType, blob))
            {
                await new LayerApplier().ApplyAsync(tar, SnapshotApplyTarget.From(mounts), Ct);
            }

            await snapshotter.CommitAsync(name, key, cancellationToken: Ct);
            parent = name;
        }

        IReadOnlyList<Mount> view = await snapshotter.ViewAsync("top", parent, cancellationToken: Ct);
        using (MountedSnapshot mounted = MountedSnapshot.Mount(view, Path.Combine(_work, "mnt")))
        {
            TreeSnapshot.Capture(mounted.Target).AssertSameAs(TreeSnapshot.Capture(umoci), compareMtimes: true);
        }

        Assert.Empty(SnapshotterMountConformance.MountsUnder(_work));
    }
}
