using System.Text.Json.Serialization;
using Berth.Api.Containers;

namespace Berth.Api.Images;

/// <summary><c>GET /images/{name}/json</c>. Created is an RFC 3339 string here.</summary>
public sealed record ImageInspectResponse
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string> RepoTags { get; init; } = [];

    public IReadOnlyList<string> RepoDigests { get; init; } = [];

    public string Parent { get; init; } = "";

    public string Comment { get; init; } = "";

    public string? Created { get; init; }

    public string DockerVersion { get; init; } = "";

    public string Author { get; init; } = "";

    public ImageConfig? Config { get; init; }

    public string Architecture { get; init; } = "";

    public string? Variant { get; init; }

    public string Os { get; init; } = "linux";

    [JsonPropertyName("OsVersion")]
    public string? OsVersion { get; init; }

    public long Size { get; init; }

    public long? VirtualSize { get; init; }

    public GraphDriverData GraphDriver { get; init; } = new();

    public ImageRootFs RootFS { get; init; } = new();

    public ImageMetadata Metadata { get; init; } = new();
}
