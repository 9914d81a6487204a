using System.Text.Json.Serialization;

namespace Berth.Registry.Manifests;

/// <summary>The subset of an image config blob (OCI image config / Docker image JSON) the engine uses.</summary>
internal sealed record ImageConfigFile
{
    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("os")]
    public string OS { get; init; } = "";

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    [JsonPropertyName("config")]
    public ImageRuntimeConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    public ImageRootfs RootFS { get; init; } = new();

    [JsonPropertyName("history")]
    public IReadOnlyList<ImageHistory>? History { get; init; }
}
