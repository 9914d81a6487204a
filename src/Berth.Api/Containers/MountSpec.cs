namespace Berth.Api.Containers;

/// <summary>An entry of <c>HostConfig.Mounts</c> (<c>--mount</c>): Type is "bind", "volume", "tmpfs", "image" or "npipe".</summary>
public sealed record MountSpec
{
    public string Type { get; init; } = "";

    public string? Source { get; init; }

    public string Target { get; init; } = "";

    public bool ReadOnly { get; init; }

    public string? Consistency { get; init; }

    public BindOptions? BindOptions { get; init; }

    public VolumeOptions? VolumeOptions { get; init; }

    public TmpfsOptions? TmpfsOptions { get; init; }
}
