using System.Text.Json;
using Berth.Core.Content;
using Berth.Core.Images;
using Berth.Images.Pull;
using Berth.Images.Tests.Pull;
using Berth.Registry;
using Berth.Registry.Manifests;

namespace Berth.Images.Tests.Push;

/// <summary>Puts an in-memory <see cref="TestImage"/> into a store the way a pull leaves it (blobs and record, no
/// snapshots), so push tests need neither a registry to pull from nor root to unpack.</summary>
internal static class SeededImages
{
    public static async Task<ImageRecord> StoreAsync(PullEnvironment env, TestImage image, string tag, CancellationToken cancellationToken)
    {
        foreach ((Digest digest, byte[] blob) in image.Blobs)
        {
            await env.Content.WriteBlobAsync(new Descriptor("application/octet-stream", digest, blob.Length), blob, cancellationToken);
        }

        await env.Content.WriteBlobAsync(image.ManifestDescriptor, image.Manifest, cancellationToken);
        OciManifest manifest = JsonSerializer.Deserialize(image.Manifest, RegistryJsonContext.Default.OciManifest)!;
        byte[] configBytes = image.Blobs[image.ConfigDigest];
        ImageConfigFile config = ImagePuller.ParseConfig(configBytes, tag);
        List<Digest> diffIds = ImagePuller.ParseDiffIds(config, manifest.Layers.Count, tag);
        ImageRecord record = ImageRecords.From(
            image.ConfigDigest, image.ManifestDescriptor.Digest, image.ManifestDescriptor.Digest, manifest.Layers.Select(l => l.ToDescriptor()).ToList(),
            config, diffIds, 0, DateTimeOffset.UnixEpoch);
        return await env.Images.AddAsync(record, ImageReference.Parse(tag), null, cancellationToken);
    }
}
