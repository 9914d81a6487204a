using System.Text.Json.Serialization;

namespace Berth.Api.Containers;

/// <summary>Inspect's <c>NetworkSettings</c> (the fields API 1.50 still carries).</summary>
public sealed record NetworkSettings
{
    public string Bridge { get; init; } = "";

    [JsonPropertyName("SandboxID")]
    public string SandboxId { get; init; } = "";

    public string SandboxKey { get; init; } = "";

    /// <summary>Container port ("80/tcp") → host bindings, null where the port is exposed but not published.</summary>
    public IDictionary<string, IReadOnlyList<PortBinding>?> Ports { get; init; } = new Dictionary<string, IReadOnlyList<PortBinding>?>();

    public bool HairpinMode { get; init; }

    public string LinkLocalIPv6Address { get; init; } = "";

    public int LinkLocalIPv6PrefixLen { get; init; }

    [JsonPropertyName("EndpointID")]
    public string EndpointId { get; init; } = "";

    public string Gateway { get; init; } = "";

    public string GlobalIPv6Address { get; init; } = "";

    public int GlobalIPv6PrefixLen { get; init; }

    public string IPAddress { get; init; } = "";

    public int IPPrefixLen { get; init; }

    public string IPv6Gateway { get; init; } = "";

    public string MacAddress { get; init; } = "";

    public IDictionary<string, EndpointSettings> Networks { get; init; } = new Dictionary<string, EndpointSettings>();
}
