namespace Berth.Api.Containers;

/// <summary>The networks to connect a container to at create time, by network name.</summary>
public sealed record NetworkingConfig
{
    public IDictionary<string, EndpointSettings>? EndpointsConfig { get; init; }
}
