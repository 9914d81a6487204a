using System.Text.Json.Serialization;
using Berth.Api.Json;

namespace Berth.Api.Containers;

/// <summary>A minimal <c>GET /containers/{id}/stats</c> sample (the fields <c>docker stats</c> reads).</summary>
public sealed record ContainerStatsResponse
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("read")]
    [JsonConverter(typeof(RfcTimeConverter))]
    public DateTimeOffset Read { get; init; }

    [JsonPropertyName("preread")]
    [JsonConverter(typeof(RfcTimeConverter))]
    public DateTimeOffset PreRead { get; init; }

    [JsonPropertyName("pids_stats")]
    public PidsStats PidsStats { get; init; } = new();

    [JsonPropertyName("cpu_stats")]
    public CpuStats CpuStats { get; init; } = new();

    [JsonPropertyName("precpu_stats")]
    public CpuStats PreCpuStats { get; init; } = new();

    [JsonPropertyName("memory_stats")]
    public MemoryStats MemoryStats { get; init; } = new();
}
