namespace Berth.Api.Containers;

/// <summary>The networks a listed container is attached to.</summary>
public sealed record ContainerSummaryNetworkSettings
{
    public IDictionary<string, EndpointSettings> Networks { get; init; } = new Dictionary<string, EndpointSettings>();
}
