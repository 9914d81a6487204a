using System.Text.Json.Serialization;

namespace Berth.Api.Containers;

/// <summary>Process count of a container's cgroup.</summary>
public sealed record PidsStats
{
    [JsonPropertyName("current")]
    public long? Current { get; init; }

    [JsonPropertyName("limit")]
    public long? Limit { get; init; }
}
