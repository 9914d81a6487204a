using System.Text.Json.Serialization;

namespace Berth.Api.Containers;

/// <summary>A container's endpoint on one network (create request and inspect's <c>NetworkSettings.Networks</c>).</summary>
public sealed record EndpointSettings
{
    public EndpointIpamConfig? IPAMConfig { get; init; }

    public IReadOnlyList<string>? Links { get; init; }

    public IReadOnlyList<string>? Aliases { get; init; }

    public string? MacAddress { get; init; }

    public IDictionary<string, string>? DriverOpts { get; init; }

    [JsonPropertyName("NetworkID")]
    public string? NetworkId { get; init; }

    [JsonPropertyName("EndpointID")]
    public string? EndpointId { get; init; }

    public string? Gateway { get; init; }

    public string? IPAddress { get; init; }

    public int? IPPrefixLen { get; init; }

    public string? IPv6Gateway { get; init; }

    public string? GlobalIPv6Address { get; init; }

    public int? GlobalIPv6PrefixLen { get; init; }

    public IReadOnlyList<string>? DNSNames { get; init; }
}
