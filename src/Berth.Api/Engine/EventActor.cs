using System.Text.Json.Serialization;

namespace Berth.Api.Engine;

/// <summary>The object an event is about and its attributes (name, image, exitCode, labels...).</summary>
public sealed record EventActor
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    public IDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
