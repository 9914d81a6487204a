using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Snapshots;
using Berth.Images.Layers;

namespace Berth.Images.Pull;

/// <summary>
/// Unpacks a layer blob from the content store into a new snapshot committed under its chain ID, checking the
/// unpacked tar against the config's diff ID first. Shared by pull and load so both build the same snapshots.
/// </summary>
internal sealed class LayerUnpacker(IContentProvider content, ISnapshotter snapshots, LayerApplier applier)
{
    private const long ExtractProgressStep = 512 * 1024;

    /// <summary>The highest index whose chain ID is committed already, plus one (0: none is).</summary>
    public async Task<int> FirstMissingAsync(IReadOnlyList<Digest> chainIds, CancellationToken cancellationToken)
    {
        for (int i = chainIds.Count - 1; i >= 0; i--)
        {
            if (await snapshots.StatAsync(chainIds[i].ToString(), cancellationToken) is { Kind: SnapshotKind.Committed })
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>Applies <paramref name="layer"/> on <paramref name="parent"/> and commits it as <paramref name="chainId"/>;
    /// <paramref name="extracted"/> hears the compressed bytes read. Nothing is left behind on failure.</summary>
    public async Task UnpackAsync(
        Descriptor layer, Digest diffId, string? parent, string chainId, Action<long>? extracted, CancellationToken cancellationToken)
    {
        string key = $"extract-{Guid.NewGuid():N}-{chainId}";
        IReadOnlyList<Core.Mounts.Mount> mounts = await snapshots.PrepareAsync(key, parent, null, cancellationToken);
        try
        {
            SnapshotApplyTarget target = SnapshotApplyTarget.From(mounts);
            LayerApplyResult result;
            await using (Stream blob = await content.OpenReadAsync(layer.Digest, cancellationToken))
            await using (var counted = new ProgressReadStream(blob, ExtractProgressStep, n => extracted?.Invoke(n)))
            await using (Stream tar = LayerMediaTypes.Decompress(counted, layer.MediaType))
            {
                result = await applier.ApplyAsync(tar, target, cancellationToken);
            }

            if (result.DiffId != diffId)
            {
                throw Errors.FailedPrecondition(
                    $"layer {layer.Digest}: unpacked content {result.DiffId} does not match the image config's diff ID {diffId}");
            }

            try
            {
                await snapshots.CommitAsync(chainId, key, null, cancellationToken);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.AlreadyExists)
            {
                // Another pull committed the same layer stack meanwhile: the same content by definition.
                await snapshots.RemoveAsync(key, CancellationToken.None);
            }
        }
        catch
        {
            await RemoveQuietlyAsync(key);
            throw;
        }
    }

    /// <summary>The unpacked size of a layer stack, as <c>docker images</c> reports it.</summary>
    public Task<long> UnpackedSizeAsync(IReadOnlyList<Digest> chainIds, CancellationToken cancellationToken) =>
        UnpackedSizeAsync(snapshots, chainIds, cancellationToken);

    /// <summary>The same for any snapshotter (the puller has no unpacker of its own).</summary>
    public static async Task<long> UnpackedSizeAsync(ISnapshotter snapshots, IReadOnlyList<Digest> chainIds, CancellationToken cancellationToken)
    {
        long size = 0;
        foreach (Digest chainId in chainIds)
        {
            size += (await snapshots.UsageAsync(chainId.ToString(), cancellationToken)).Size;
        }

        return size;
    }

    private async Task RemoveQuietlyAsync(string key)
    {
        try
        {
            await snapshots.RemoveAsync(key, CancellationToken.None);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
        }
    }
}
