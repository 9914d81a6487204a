using System.Text.Json.Serialization;

namespace Berth.Registry.Manifests;

/// <summary>The <c>platform</c> of an index entry.</summary>
internal sealed record OciPlatform
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("os")]
    public string OS { get; init; } = "";

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    [JsonPropertyName("os.version")]
    public string? OSVersion { get; init; }
}
