using Berth.Core.Snapshots;

namespace Berth.Storage.Snapshots;

/// <summary>One snapshot in the metadata table: its numeric directory id and what <see cref="SnapshotInfo"/> reports.</summary>
internal sealed class SnapshotRecord
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string? Parent { get; set; }

    public SnapshotKind Kind { get; set; }

    public DateTimeOffset Created { get; set; }

    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    public SnapshotRecord Clone() => new()
    {
        Id = Id, Name = Name, Parent = Parent, Kind = Kind, Created = Created,
        Labels = new Dictionary<string, string>(Labels, StringComparer.Ordinal),
    };

    public SnapshotInfo ToInfo() => new(Name, Parent, Kind, Created) { Labels = new Dictionary<string, string>(Labels, StringComparer.Ordinal) };
}
