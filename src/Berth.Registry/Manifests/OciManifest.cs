using System.Text.Json.Serialization;

namespace Berth.Registry.Manifests;

/// <summary>An OCI image manifest or a Docker v2 schema 2 manifest.</summary>
internal sealed record OciManifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("config")]
    public OciDescriptor Config { get; init; } = new();

    [JsonPropertyName("layers")]
    public IReadOnlyList<OciDescriptor> Layers { get; init; } = [];

    [JsonPropertyName("subject")]
    public OciDescriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
