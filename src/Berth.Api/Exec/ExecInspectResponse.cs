using System.Text.Json.Serialization;

namespace Berth.Api.Exec;

/// <summary><c>GET /exec/{id}/json</c>; ExitCode is null while the process runs.</summary>
public sealed record ExecInspectResponse
{
    public bool CanRemove { get; init; }

    public string DetachKeys { get; init; } = "";

    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    public bool Running { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? ExitCode { get; init; }

    public ExecProcessConfig ProcessConfig { get; init; } = new();

    public bool OpenStdin { get; init; }

    public bool OpenStderr { get; init; }

    public bool OpenStdout { get; init; }

    [JsonPropertyName("ContainerID")]
    public string ContainerId { get; init; } = "";

    public int Pid { get; init; }
}
