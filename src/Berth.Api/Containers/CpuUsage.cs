using System.Text.Json.Serialization;

namespace Berth.Api.Containers;

/// <summary>Total and split CPU time in nanoseconds.</summary>
public sealed record CpuUsage
{
    [JsonPropertyName("total_usage")]
    public long TotalUsage { get; init; }

    [JsonPropertyName("usage_in_kernelmode")]
    public long UsageInKernelmode { get; init; }

    [JsonPropertyName("usage_in_usermode")]
    public long UsageInUsermode { get; init; }
}
