using Berth.Core.Content;

namespace Berth.Images.Store;

/// <summary>What a collection removed: blobs by digest, snapshots by name, and the blob bytes freed.</summary>
public sealed record GarbageCollectionResult(IReadOnlyList<Digest> Blobs, IReadOnlyList<string> Snapshots, long BlobBytes);
