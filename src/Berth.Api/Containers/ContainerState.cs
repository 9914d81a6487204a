using System.Text.Json.Serialization;
using Berth.Api.Json;

namespace Berth.Api.Containers;

/// <summary>Inspect's <c>State</c>; StartedAt/FinishedAt are the zero time until they happen.</summary>
public sealed record ContainerState
{
    /// <summary>"created", "running", "paused", "restarting", "removing", "exited" or "dead".</summary>
    public string Status { get; init; } = "";

    public bool Running { get; init; }

    public bool Paused { get; init; }

    public bool Restarting { get; init; }

    public bool OOMKilled { get; init; }

    public bool Dead { get; init; }

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public string Error { get; init; } = "";

    [JsonConverter(typeof(RfcTimeConverter))]
    public DateTimeOffset StartedAt { get; init; }

    [JsonConverter(typeof(RfcTimeConverter))]
    public DateTimeOffset FinishedAt { get; init; }

    public ContainerHealth? Health { get; init; }
}
