using Berth.Core.Content;

namespace Berth.Images.Tests.Pull;

/// <summary>An image built in memory by <see cref="TestImagePusher.Build"/>.</summary>
internal sealed record TestImage(Dictionary<Digest, byte[]> Blobs, byte[] Manifest, Digest ConfigDigest, Descriptor ManifestDescriptor);
