using System.Text.Json.Serialization;

namespace Berth.Registry.Manifests;

/// <summary>The <c>Healthcheck</c> of an image config's <c>config</c>; durations in nanoseconds.</summary>
internal sealed record ImageHealthcheckConfig
{
    [JsonPropertyName("Test")]
    public IReadOnlyList<string>? Test { get; init; }

    [JsonPropertyName("Interval")]
    public long Interval { get; init; }

    [JsonPropertyName("Timeout")]
    public long Timeout { get; init; }

    [JsonPropertyName("StartPeriod")]
    public long StartPeriod { get; init; }

    [JsonPropertyName("StartInterval")]
    public long StartInterval { get; init; }

    [JsonPropertyName("Retries")]
    public int Retries { get; init; }
}
