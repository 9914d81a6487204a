using Berth.Core.Content;

namespace Berth.Images.Layers;

/// <summary>What applying one layer produced: the diff ID (sha256 of the uncompressed tar) and its size in bytes.</summary>
public sealed record LayerApplyResult(Digest DiffId, long Size)
{
    /// <summary>
    /// Applied with <see cref="SnapshotApplyTarget.LowerPending"/>: the directories (layer paths) made only because the
    /// layer names something inside them, whose metadata must come from the lowers once known
    /// (<see cref="LayerApplier.InheritPendingDirectories"/>). Empty otherwise.
    /// </summary>
    public IReadOnlyList<string> PendingDirectories { get; init; } = [];
}
