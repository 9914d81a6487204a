using System.Text.Json.Serialization;

namespace Berth.Api.Engine;

/// <summary>Swarm state; Berth has no swarm, so always "inactive".</summary>
public sealed record SwarmInfo
{
    [JsonPropertyName("NodeID")]
    public string NodeId { get; init; } = "";

    public string NodeAddr { get; init; } = "";

    public string LocalNodeState { get; init; } = "inactive";

    public bool ControlAvailable { get; init; }

    public string Error { get; init; } = "";

    public IReadOnlyList<string>? RemoteManagers { get; init; }
}
