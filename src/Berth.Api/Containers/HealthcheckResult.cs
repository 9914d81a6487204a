using System.Text.Json.Serialization;
using Berth.Api.Json;

namespace Berth.Api.Containers;

/// <summary>One run of a health check.</summary>
public sealed record HealthcheckResult
{
    [JsonConverter(typeof(RfcTimeConverter))]
    public DateTimeOffset Start { get; init; }

    [JsonConverter(typeof(RfcTimeConverter))]
    public DateTimeOffset End { get; init; }

    public int ExitCode { get; init; }

    public string Output { get; init; } = "";
}
