using Berth.Core.Content;

namespace Berth.Images.Layers;

/// <summary>What applying one layer produced: the diff ID (sha256 of the uncompressed tar) and its size in bytes.</summary>
public sealed record LayerApplyResult(Digest DiffId, long Size);
