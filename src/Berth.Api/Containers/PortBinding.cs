namespace Berth.Api.Containers;

/// <summary>One host side of a published port; an empty HostPort asks for an ephemeral one.</summary>
public sealed record PortBinding
{
    public string HostIp { get; init; } = "";

    public string HostPort { get; init; } = "";
}
