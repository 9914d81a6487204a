using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Snapshots;
using Berth.Images.Pull;

namespace Berth.Images.Store;

/// <summary>
/// Mark and sweep over the content store and the snapshotter. Marked: every image's manifest, index, config and
/// layer blobs and its chain-ID snapshots; the caller's extra snapshot roots (containers' layers) with their
/// parents; the parents of every active snapshot or view; a snapshot labelled <see cref="SnapshotLabels.KeepWithParent"/>
/// whose parent is marked. Swept: unmarked blobs and unmarked committed snapshots,
/// children before parents. Unpack snapshots a pull left behind (killed mid-layer) are removed first. The caller
/// must not run it while a pull is writing (the daemon serializes the two): a pull's layers are unreferenced until
/// its image is recorded.
/// </summary>
public sealed class ImageGarbageCollector(IImageStore images, IContentStore content, ISnapshotter snapshots)
{
    public async Task<GarbageCollectionResult> CollectAsync(
        IReadOnlyCollection<string>? snapshotRoots = null, CancellationToken cancellationToken = default)
    {
        var blobs = new HashSet<Digest>();
        var marked = new HashSet<string>(StringComparer.Ordinal);
        foreach (ImageRecord image in await images.ListAsync(cancellationToken))
        {
            blobs.Add(image.Id);
            blobs.Add(image.ManifestDigest);
            if (image.TargetDigest is { } target)
            {
                blobs.Add(target);
            }

            blobs.UnionWith(image.Layers.Select(l => l.Digest));
            marked.UnionWith(ChainIds.Compute(image.DiffIds).Select(c => c.ToString()));
        }

        var removedSnapshots = new List<string>();
        await foreach (SnapshotInfo info in snapshots.ListAsync(cancellationToken))
        {
            if (info.Kind == SnapshotKind.Active && ImagePuller.IsUnpackKey(info.Name) && await TryRemoveAsync(info.Name, cancellationToken))
            {
                removedSnapshots.Add(info.Name);
            }
        }

        var all = new Dictionary<string, SnapshotInfo>(StringComparer.Ordinal);
        await foreach (SnapshotInfo info in snapshots.ListAsync(cancellationToken))
        {
            all[info.Name] = info;
        }

        var roots = new List<string>(snapshotRoots ?? []);
        roots.AddRange(all.Values.Where(s => s.Kind != SnapshotKind.Committed).Select(s => s.Name));
        roots.AddRange(marked);
        foreach (string root in roots)
        {
            for (string? name = root; name is not null && all.TryGetValue(name, out SnapshotInfo? info); name = info.Parent)
            {
                if (!marked.Add(name) && name != root)
                {
                    break;
                }
            }
        }

        // Kept with their parents: layers the daemon shares between an image and its containers.
        marked.UnionWith(all.Values
            .Where(s => s.Kind == SnapshotKind.Committed && s.Labels.ContainsKey(SnapshotLabels.KeepWithParent) && s.Parent is { } parent && marked.Contains(parent))
            .Select(s => s.Name)
            .ToList());

        foreach (SnapshotInfo doomed in all.Values
                     .Where(s => s.Kind == SnapshotKind.Committed && !marked.Contains(s.Name))
                     .OrderByDescending(s => Depth(all, s)))
        {
            if (await TryRemoveAsync(doomed.Name, cancellationToken))
            {
                removedSnapshots.Add(doomed.Name);
            }
        }

        var removedBlobs = new List<Digest>();
        long bytes = 0;
        await foreach (ContentInfo blob in content.ListAsync(cancellationToken))
        {
            if (blobs.Contains(blob.Digest))
            {
                continue;
            }

            try
            {
                await content.DeleteAsync(blob.Digest, cancellationToken);
                removedBlobs.Add(blob.Digest);
                bytes += blob.Size;
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
            }
        }

        return new GarbageCollectionResult(removedBlobs, removedSnapshots, bytes);
    }

    private async Task<bool> TryRemoveAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await snapshots.RemoveAsync(name, cancellationToken);
            return true;
        }
        catch (BerthException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.FailedPrecondition)
        {
            // Gone already, or something appeared on top of it since the listing: it stays.
            return false;
        }
    }

    private static int Depth(Dictionary<string, SnapshotInfo> all, SnapshotInfo snapshot)
    {
        int depth = 0;
        for (string? parent = snapshot.Parent; parent is not null && all.TryGetValue(parent, out SnapshotInfo? p) && depth < all.Count; parent = p.Parent)
        {
            depth++;
        }

        return depth;
    }
}
