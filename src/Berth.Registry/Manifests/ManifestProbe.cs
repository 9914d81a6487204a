using System.Text.Json.Serialization;

namespace Berth.Registry.Manifests;

/// <summary>Just enough of any manifest to tell what it is when the Content-Type is missing or generic.</summary>
internal sealed record ManifestProbe
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("manifests")]
    public IReadOnlyList<OciDescriptor>? Manifests { get; init; }

    [JsonPropertyName("config")]
    public OciDescriptor? Config { get; init; }
}
