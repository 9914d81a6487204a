using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Registry.Manifests;

/// <summary>The <c>config</c> object of an image config: how a container of the image runs by default.</summary>
internal sealed record ImageRuntimeConfig
{
    [JsonPropertyName("User")]
    public string? User { get; init; }

    /// <summary>Keys are <c>port/proto</c>; values are empty objects.</summary>
    [JsonPropertyName("ExposedPorts")]
    public IReadOnlyDictionary<string, JsonElement>? ExposedPorts { get; init; }

    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    [JsonPropertyName("Volumes")]
    public IReadOnlyDictionary<string, JsonElement>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }

    [JsonPropertyName("Healthcheck")]
    public ImageHealthcheckConfig? Healthcheck { get; init; }

    [JsonPropertyName("Shell")]
    public IReadOnlyList<string>? Shell { get; init; }
}
