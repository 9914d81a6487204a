namespace Berth.Api.Containers;

/// <summary>A mount as inspect and ps report it.</summary>
public sealed record MountPoint
{
    public string Type { get; init; } = "";

    public string? Name { get; init; }

    public string Source { get; init; } = "";

    public string Destination { get; init; } = "";

    public string? Driver { get; init; }

    public string Mode { get; init; } = "";

    public bool RW { get; init; }

    public string Propagation { get; init; } = "";
}
