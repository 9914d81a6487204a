using System.Text.Json.Serialization;

namespace Berth.Api.Engine;

/// <summary>A component's build commit, as <c>docker info</c> shows "containerd version", "runc version", "init version".</summary>
public sealed record CommitInfo
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";
}
