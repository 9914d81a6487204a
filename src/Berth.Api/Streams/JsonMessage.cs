using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api.Streams;

/// <summary>
/// One line of Docker's JSON message stream (pull, push, load, build): lowercase field names; errors arrive inside a
/// 200 stream as <c>errorDetail</c> plus the deprecated <c>error</c> string.
/// </summary>
public sealed record JsonMessage
{
    [JsonPropertyName("stream")]
    public string? Stream { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("progressDetail")]
    public ProgressDetail? ProgressDetail { get; init; }

    /// <summary>The rendered progress bar; deprecated since API 1.48 but still sent and shown by older clients.</summary>
    [JsonPropertyName("progress")]
    public string? Progress { get; init; }

    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("from")]
    public string? From { get; init; }

    [JsonPropertyName("errorDetail")]
    public ErrorDetail? ErrorDetail { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("aux")]
    public JsonElement? Aux { get; init; }
}
