using System.Text.Json.Serialization;

namespace Berth.Api.Containers;

/// <summary>Memory use and limit of a container in bytes.</summary>
public sealed record MemoryStats
{
    [JsonPropertyName("usage")]
    public long? Usage { get; init; }

    [JsonPropertyName("limit")]
    public long? Limit { get; init; }

    [JsonPropertyName("stats")]
    public IDictionary<string, long>? Stats { get; init; }
}
