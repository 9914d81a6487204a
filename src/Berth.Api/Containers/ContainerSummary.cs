using System.Text.Json.Serialization;

namespace Berth.Api.Containers;

/// <summary>One row of <c>GET /containers/json</c> (<c>docker ps</c>); Created is Unix seconds.</summary>
public sealed record ContainerSummary
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string> Names { get; init; } = [];

    public string Image { get; init; } = "";

    [JsonPropertyName("ImageID")]
    public string ImageId { get; init; } = "";

    public string Command { get; init; } = "";

    public long Created { get; init; }

    public IReadOnlyList<PortSummary> Ports { get; init; } = [];

    public long? SizeRw { get; init; }

    public long? SizeRootFs { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IDictionary<string, string>? Labels { get; init; }

    /// <summary>"created", "running", "paused", "restarting", "exited", "removing" or "dead".</summary>
    public string State { get; init; } = "";

    /// <summary>Human text: "Up 5 minutes", "Exited (0) 2 seconds ago".</summary>
    public string Status { get; init; } = "";

    public ContainerSummaryHostConfig HostConfig { get; init; } = new();

    public ContainerSummaryNetworkSettings NetworkSettings { get; init; } = new();

    public IReadOnlyList<MountPoint> Mounts { get; init; } = [];
}
