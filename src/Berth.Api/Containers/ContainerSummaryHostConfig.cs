namespace Berth.Api.Containers;

/// <summary>The host config fields <c>docker ps</c> carries.</summary>
public sealed record ContainerSummaryHostConfig
{
    public string NetworkMode { get; init; } = "";

    public IDictionary<string, string>? Annotations { get; init; }
}
