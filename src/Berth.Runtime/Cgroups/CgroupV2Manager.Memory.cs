using Berth.Linux;

namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV2Manager
{
    /// <summary>
    /// memory.max, memory.swap.max (swap alone: the spec's memory+swap minus memory) and memory.low.
    /// v2 has no swappiness or OOM-killer switch per cgroup; those v1 settings are ignored here, as runc does.
    /// </summary>
    private void ApplyMemory(CgroupResources r)
    {
        long memory = r.MemoryLimit ?? 0;
        string? swapMax = CgroupValues.SwapMax(memory, r.MemorySwap ?? 0);
        if (swapMax is not null)
        {
            // Without swap accounting the file is absent; "unlimited" or "none" then already holds, so only a
            // real limit is an error (runc's rule).
            Errno errno = CgroupFile.TryWrite(FullPath, "memory.swap.max", swapMax);
            if (errno != Errno.None && !(errno == Errno.ENOENT && swapMax is CgroupValues.Max or "0"))
            {
                throw new LinuxException(errno, $"write \"{swapMax}\" to", System.IO.Path.Join(FullPath, "memory.swap.max"));
            }
        }

        if (CgroupValues.BytesOrMax(memory) is { } max)
        {
            CgroupFile.Write(FullPath, "memory.max", max);
        }

        if (CgroupValues.BytesOrMax(r.MemoryReservation ?? 0) is { } low)
        {
            CgroupFile.Write(FullPath, "memory.low", low);
        }
    }
}
