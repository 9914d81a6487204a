using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>One entry of <see cref="DistributionErrors"/>.</summary>
internal sealed record DistributionError
{
    [JsonPropertyName("code")]
    public string Code { get; init; } = "";

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("detail")]
    public JsonElement? Detail { get; init; }

    /// <summary>distribution's errcode rendering: <c>manifest unknown: manifest unknown</c>.</summary>
    public override string ToString()
    {
        string code = Code.Replace('_', ' ').ToLowerInvariant();
        return string.IsNullOrEmpty(Message) ? code : $"{code}: {Message}";
    }
}
