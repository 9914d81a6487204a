using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>The distribution spec's error body: <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
internal sealed record DistributionErrors
{
    [JsonPropertyName("errors")]
    public IReadOnlyList<DistributionError>? Errors { get; init; }
}
