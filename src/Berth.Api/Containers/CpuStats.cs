using System.Text.Json.Serialization;

namespace Berth.Api.Containers;

/// <summary>CPU usage of a container (nanoseconds) and of the host.</summary>
public sealed record CpuStats
{
    [JsonPropertyName("cpu_usage")]
    public CpuUsage CpuUsage { get; init; } = new();

    [JsonPropertyName("system_cpu_usage")]
    public long? SystemCpuUsage { get; init; }

    [JsonPropertyName("online_cpus")]
    public int? OnlineCpus { get; init; }
}
