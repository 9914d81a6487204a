using System.Text.Json.Serialization;

namespace Berth.Api.Streams;

/// <summary>An error inside a JSON message stream.</summary>
public sealed record ErrorDetail
{
    [JsonPropertyName("code")]
    public int? Code { get; init; }

    [JsonPropertyName("message")]
    public string Message { get; init; } = "";
}
