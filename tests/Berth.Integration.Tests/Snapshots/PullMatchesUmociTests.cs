using Berth.Core.Images;
using Berth.Core.Mounts;
using Berth.Images.Pull;
using Berth.Images.Store;
using Berth.Registry;
using Berth.Storage.Content;
using Berth.Storage.Snapshots;
using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Snapshots;

namespace Berth.Integration.Tests.Snapshots;

/// <summary>
/// Issue 4's pull acceptance end to end: the multi-layer image pushed to a real docker-registry by skopeo, pulled by
/// berth's puller into overlay snapshots, and the mounted top layer compared with <c>umoci unpack</c> of the same
/// image — paths, types, modes, owners, xattrs (security.capability included), symlinks, hashes, hardlinks, mtimes.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class PullMatchesUmociTests(MultiLayerImageFixture image) : IClassFixture<MultiLayerImageFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("berth-pull-umoci-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (string mountPoint in SnapshotterMountConformance.MountsUnder(_work))
            Berth.Linux.LinuxSyscalls.Instance.TryUnmount(mountPoint, Berth.Linux.UnmountFlags.Detach);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Pulled_image_mounted_from_overlay_snapshots_matches_umoci_unpack()
    {
        Requires.Root().LocalRegistry().Overlayfs();
        (OciLayout layout, string umoci) = await image.GetAsync();
        await using LocalRegistry registry = await LocalRegistry.StartAsync();
        string reference = $"{registry.Address}/multilayer:latest";
        (await ProcessTools.RunAsync(EngineBinaries.Skopeo, ["copy", "--quiet", $"oci:{layout.Image}", $"docker://{reference}", "--dest-tls-verify=false"])).EnsureSuccess();

        var snapshots = new OverlaySnapshotter(Path.Combine(_work, "snapshots"));
        using var images = new ImageStore(Path.Combine(_work, "images"));
        using var client = new RegistryClient(new RegistryClientOptions { InsecureRegistries = [registry.Address] });
        var puller = new ImagePuller(client, new FileContentStore(Path.Combine(_work, "content")), snapshots, images);
        ImageRecord pulled = await puller.PullAsync(ImageReference.Parse(reference), cancellationToken: Ct);

        IReadOnlyList<Mount> view = await snapshots.ViewAsync("top", pulled.ChainId, cancellationToken: Ct);
        using (MountedSnapshot mounted = MountedSnapshot.Mount(view, Path.Combine(_work, "mnt")))
        {
            TreeSnapshot.Capture(mounted.Target).AssertSameAs(TreeSnapshot.Capture(umoci), compareMtimes: true);
        }
        await snapshots.RemoveAsync("top", Ct);
        Assert.Empty(SnapshotterMountConformance.MountsUnder(_work));
    }
}
