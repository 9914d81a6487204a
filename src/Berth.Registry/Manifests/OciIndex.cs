using System.Text.Json.Serialization;

namespace Berth.Registry.Manifests;

/// <summary>An OCI image index or a Docker manifest list.</summary>
internal sealed record OciIndex
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("manifests")]
    public IReadOnlyList<OciDescriptor> Manifests { get; init; } = [];

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
