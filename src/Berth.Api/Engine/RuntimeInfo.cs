using System.Text.Json.Serialization;

namespace Berth.Api.Engine;

/// <summary>An OCI runtime the daemon can use.</summary>
public sealed record RuntimeInfo
{
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";
}
