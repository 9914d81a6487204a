using System.Text.Json.Serialization;

namespace Berth.Api.Engine;

/// <summary>
/// One line of <c>GET /events</c>. Type is "container", "image", "volume", "network", "daemon"; Action is the verb
/// ("create", "start", "die", "pull", "tag"...). status/id/from are the pre-1.22 fields Docker still writes for
/// containers and images.
/// </summary>
public sealed record EventMessage
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("from")]
    public string? From { get; init; }

    public string Type { get; init; } = "";

    public string Action { get; init; } = "";

    public EventActor Actor { get; init; } = new();

    [JsonPropertyName("scope")]
    public string Scope { get; init; } = "local";

    [JsonPropertyName("time")]
    public long Time { get; init; }

    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }
}
