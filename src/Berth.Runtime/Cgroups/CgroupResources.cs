namespace Berth.Runtime.Cgroups;

/// <summary>
/// Limits for one container's cgroup, independent of cgroup version. Values follow the runtime spec:
/// null leaves a setting alone; memory and swap are bytes with -1 for unlimited; <see cref="MemorySwap"/>
/// is memory plus swap, as in the spec and in cgroup v1's memsw.
/// </summary>
public sealed record CgroupResources
{
    public long? MemoryLimit { get; init; }

    public long? MemoryReservation { get; init; }

    public long? MemorySwap { get; init; }

    public ulong? MemorySwappiness { get; init; }

    public bool? DisableOomKiller { get; init; }

    public ulong? CpuShares { get; init; }

    public long? CpuQuota { get; init; }

    public ulong? CpuPeriod { get; init; }

    public string? CpusetCpus { get; init; }

    public string? CpusetMems { get; init; }

    /// <summary>0 or -1 mean no limit.</summary>
    public long? PidsLimit { get; init; }

    /// <summary>Raw cgroup v2 files to write (runtime-spec linux.resources.unified).</summary>
    public IReadOnlyDictionary<string, string>? Unified { get; init; }
}
