using System.Text;
using Berth.Core.Content;
using Berth.Core.Images;
using Berth.Core.Snapshots;
using Berth.Images.Pull;
using Berth.Images.Store;
using Berth.Testing.Content;
using Berth.Testing.Snapshots;

namespace Berth.Images.Tests.Store;

public sealed class ImageGarbageCollectorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-gc-test-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Unreferenced_blobs_and_snapshots_go_children_first_and_referenced_ones_stay()
    {
        var content = new InMemoryContentStore();
        var snapshots = new DirectorySnapshotter(Path.Combine(_dir, "snapshots"), copyParent: false);
        using var images = new ImageStore(Path.Combine(_dir, "metadata"));

        Digest[] keptDiffs = [Digest.Compute("k1"u8), Digest.Compute("k2"u8)];
        Digest[] goneDiffs = [Digest.Compute("k1"u8), Digest.Compute("g2"u8), Digest.Compute("g3"u8)];
        IReadOnlyList<Digest> keptChain = await CommitChainAsync(snapshots, keptDiffs);
        IReadOnlyList<Digest> goneChain = await CommitChainAsync(snapshots, goneDiffs);
        await snapshots.PrepareAsync("container-1", keptChain[^1].ToString(), cancellationToken: Ct);
        Digest orphanRoot = Digest.Compute("orphan"u8);
        await CommitAsync(snapshots, orphanRoot.ToString(), null);
        await CommitAsync(snapshots, "container-layer", orphanRoot.ToString());
        string leftover = "extract-0123456789abcdef-" + goneChain[2];
        await snapshots.PrepareAsync(leftover, goneChain[2].ToString(), cancellationToken: Ct);

        Descriptor config = await BlobAsync(content, "config");
        Descriptor manifest = await BlobAsync(content, "manifest");
        Descriptor layer = await BlobAsync(content, "layer");
        Descriptor garbage = await BlobAsync(content, "garbage");
        await images.AddAsync(new ImageRecord
        {
            Id = config.Digest,
            ManifestDigest = manifest.Digest,
            Layers = [layer],
            DiffIds = keptDiffs,
            ChainId = keptChain[^1].ToString(),
        }, ImageReference.Parse("kept"), null, Ct);

        GarbageCollectionResult result = await new ImageGarbageCollector(images, content, snapshots)
            .CollectAsync(["container-layer"], Ct);

        Assert.Equal([garbage.Digest], result.Blobs);
        Assert.Equal(garbage.Size, result.BlobBytes);
        Assert.Equal([leftover, goneChain[2].ToString(), goneChain[1].ToString()], result.Snapshots);
        List<string> left = (await snapshots.ListAsync(Ct).ToListAsync(Ct)).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { keptChain[0].ToString(), keptChain[1].ToString(), orphanRoot.ToString(), "container-1", "container-layer" }.Order(StringComparer.Ordinal), left);
        Assert.True(await content.ExistsAsync(layer.Digest, Ct));
    }

    [Fact]
    public async Task A_layer_kept_with_its_parent_lives_while_its_image_does_and_goes_before_it()
    {
        var content = new InMemoryContentStore();
        var snapshots = new DirectorySnapshotter(Path.Combine(_dir, "snapshots"), copyParent: false);
        using var images = new ImageStore(Path.Combine(_dir, "metadata"));
        IReadOnlyList<Digest> keptChain = await CommitChainAsync(snapshots, [Digest.Compute("k1"u8)]);
        IReadOnlyList<Digest> goneChain = await CommitChainAsync(snapshots, [Digest.Compute("g1"u8)]);
        var keep = new Dictionary<string, string> { [SnapshotLabels.KeepWithParent] = "" };
        await CommitAsync(snapshots, keptChain[0] + "-init", keptChain[0].ToString(), keep);
        await CommitAsync(snapshots, goneChain[0] + "-init", goneChain[0].ToString(), keep);
        await CommitAsync(snapshots, "unlabelled", keptChain[0].ToString());
        Descriptor config = await BlobAsync(content, "config");
        await images.AddAsync(new ImageRecord
        {
            Id = config.Digest,
            ManifestDigest = (await BlobAsync(content, "manifest")).Digest,
            Layers = [],
            DiffIds = [Digest.Compute("k1"u8)],
            ChainId = keptChain[0].ToString(),
        }, ImageReference.Parse("kept"), null, Ct);

        GarbageCollectionResult result = await new ImageGarbageCollector(images, content, snapshots).CollectAsync(null, Ct);

        Assert.Equal(new[] { "unlabelled", goneChain[0] + "-init", goneChain[0].ToString() }.Order(StringComparer.Ordinal), result.Snapshots.Order(StringComparer.Ordinal));
        List<string> order = [.. result.Snapshots];
        Assert.True(order.IndexOf(goneChain[0] + "-init") < order.IndexOf(goneChain[0].ToString()), string.Join(", ", order));
        Assert.NotNull(await snapshots.StatAsync(keptChain[0] + "-init", Ct));
    }

    private static async Task<IReadOnlyList<Digest>> CommitChainAsync(DirectorySnapshotter snapshots, Digest[] diffIds)
    {
        IReadOnlyList<Digest> chain = ChainIds.Compute(diffIds);
        for (int i = 0; i < chain.Count; i++)
        {
            if (await snapshots.StatAsync(chain[i].ToString(), Ct) is null)
            {
                await CommitAsync(snapshots, chain[i].ToString(), i == 0 ? null : chain[i - 1].ToString());
            }
        }

        return chain;
    }

    private static async Task CommitAsync(DirectorySnapshotter snapshots, string name, string? parent, IReadOnlyDictionary<string, string>? labels = null)
    {
        string key = "build-" + Guid.NewGuid().ToString("N");
        await snapshots.PrepareAsync(key, parent, cancellationToken: Ct);
        await snapshots.CommitAsync(name, key, labels, cancellationToken: Ct);
        Assert.Equal(SnapshotKind.Committed, (await snapshots.StatAsync(name, Ct))!.Kind);
    }

    private static async Task<Descriptor> BlobAsync(InMemoryContentStore content, string text)
    {
        byte[] data = Encoding.UTF8.GetBytes(text);
        var descriptor = new Descriptor("application/octet-stream", Digest.Compute(data), data.Length);
        await content.WriteBlobAsync(descriptor, data, Ct);
        return descriptor;
    }
}
