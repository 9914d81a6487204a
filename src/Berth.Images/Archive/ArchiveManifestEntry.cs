using System.Text.Json.Serialization;

namespace Berth.Images.Archive;

/// <summary>One image in a docker-save <c>manifest.json</c>: paths inside the tar, bottom layer first.</summary>
internal sealed record ArchiveManifestEntry
{
    [JsonPropertyName("Config")]
    public string Config { get; init; } = "";

    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public IReadOnlyList<string> Layers { get; init; } = [];
}
