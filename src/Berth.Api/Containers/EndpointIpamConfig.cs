namespace Berth.Api.Containers;

/// <summary>Static addresses requested for an endpoint.</summary>
public sealed record EndpointIpamConfig
{
    public string? IPv4Address { get; init; }

    public string? IPv6Address { get; init; }

    public IReadOnlyList<string>? LinkLocalIPs { get; init; }
}
