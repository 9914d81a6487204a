namespace Berth.Api.Containers;

/// <summary>Tmpfs mount options: size in bytes and the permission bits as a number.</summary>
public sealed record TmpfsOptions
{
    public long? SizeBytes { get; init; }

    public int? Mode { get; init; }

    public IReadOnlyList<IReadOnlyList<string>>? Options { get; init; }
}
