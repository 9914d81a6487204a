namespace Berth.Core.Snapshots;

/// <summary>What a snapshotter knows of one snapshot. <see cref="Name"/> is the key (active/view) or the committed
/// name (for image layers: the chain ID).</summary>
public sealed record SnapshotInfo(string Name, string? Parent, SnapshotKind Kind, DateTimeOffset Created)
{
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
