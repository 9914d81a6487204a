using System.Text.Json.Serialization;

namespace Berth.Api.Streams;

/// <summary>Bytes done and total for "Downloading"/"Extracting"/"Pushing" lines.</summary>
public sealed record ProgressDetail
{
    [JsonPropertyName("current")]
    public long? Current { get; init; }

    [JsonPropertyName("total")]
    public long? Total { get; init; }

    [JsonPropertyName("start")]
    public long? Start { get; init; }

    [JsonPropertyName("hidecounts")]
    public bool? HideCounts { get; init; }

    [JsonPropertyName("units")]
    public string? Units { get; init; }
}
