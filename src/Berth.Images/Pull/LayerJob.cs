using Berth.Core.Content;
using Berth.Core.Images;

namespace Berth.Images.Pull;

/// <summary>One layer to pull: where from, what it is, and the snapshots it goes between.</summary>
internal sealed record LayerJob(ImageReference Source, Descriptor Layer, Digest DiffId, string? Parent, string ChainId);
