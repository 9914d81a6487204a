using System.Text.Json.Serialization;
using Berth.Api.Json;

namespace Berth.Api.Containers;

/// <summary>
/// A path's stat for <c>docker cp</c>, sent base64-encoded as JSON in the <c>X-Docker-Container-Path-Stat</c> header of
/// archive GET/HEAD. Mode carries Go's <c>os.FileMode</c> bits (directory = 1 &lt;&lt; 31, symlink = 1 &lt;&lt; 27).
/// </summary>
public sealed record ContainerPathStat
{
    public const string HeaderName = "X-Docker-Container-Path-Stat";

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("mode")]
    public uint Mode { get; init; }

    [JsonPropertyName("mtime")]
    [JsonConverter(typeof(RfcTimeConverter))]
    public DateTimeOffset Mtime { get; init; }

    [JsonPropertyName("linkTarget")]
    public string LinkTarget { get; init; } = "";
}
