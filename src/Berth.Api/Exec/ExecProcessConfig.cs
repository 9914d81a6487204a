using System.Text.Json.Serialization;

namespace Berth.Api.Exec;

/// <summary>The process of an exec as inspect shows it (Docker spells these fields in lowercase).</summary>
public sealed record ExecProcessConfig
{
    [JsonPropertyName("privileged")]
    public bool Privileged { get; init; }

    [JsonPropertyName("user")]
    public string User { get; init; } = "";

    [JsonPropertyName("tty")]
    public bool Tty { get; init; }

    [JsonPropertyName("entrypoint")]
    public string Entrypoint { get; init; } = "";

    [JsonPropertyName("arguments")]
    public IReadOnlyList<string> Arguments { get; init; } = [];
}
