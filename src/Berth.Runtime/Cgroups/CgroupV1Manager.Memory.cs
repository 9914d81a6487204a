using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV1Manager
{
    private void ApplyMemory(CgroupResources r)
    {
        long memory = r.MemoryLimit ?? 0;
        long swap = r.MemorySwap ?? 0;
        bool any = memory != 0 || swap != 0 || r.MemoryReservation is not null and not 0
            || r.MemorySwappiness is not null || r.DisableOomKiller is not null;
        if (!any)
        {
            return;
        }

        string dir = RequireControllerDirectory("memory");

        // Unlimited memory with swap left unset means both unlimited (runc), or memsw would stay at its old cap.
        if (memory == -1 && swap == 0)
        {
            swap = -1;
        }

        // memsw only exists with swap accounting (swapaccount=1); look at the hierarchy root, which always has it then.
        bool hasMemsw = swap != 0 && CgroupFile.Exists(_hierarchies.Find("memory")!, "memory.memsw.limit_in_bytes");

        bool swapFirst = hasMemsw && memory != 0 && WriteMemswFirst(swap, CurrentMemoryLimit(dir));
        if (swapFirst)
        {
            CgroupFile.Write(dir, "memory.memsw.limit_in_bytes", swap);
        }

        if (memory != 0)
        {
            CgroupFile.Write(dir, "memory.limit_in_bytes", memory);
        }

        if (hasMemsw && !swapFirst)
        {
            CgroupFile.Write(dir, "memory.memsw.limit_in_bytes", swap);
        }

        if (r.MemoryReservation is long reservation and not 0)
        {
            CgroupFile.Write(dir, "memory.soft_limit_in_bytes", reservation);
        }

        if (r.MemorySwappiness is ulong swappiness)
        {
            if (swappiness > 100)
            {
                throw Errors.InvalidArgument($"memory swappiness {swappiness} is out of range 0-100");
            }

            CgroupFile.Write(dir, "memory.swappiness", swappiness);
        }

        if (r.DisableOomKiller is bool disable)
        {
            CgroupFile.Write(dir, "memory.oom_control", disable ? "1" : "0");
        }
    }

    /// <summary>
    /// The kernel keeps memory.limit_in_bytes &lt;= memory.memsw.limit_in_bytes at every step, so the order
    /// depends on the direction (runc's rule): when the new memsw is unlimited or above the current memory
    /// limit it is written first (raising), else the memory limit is lowered first.
    /// </summary>
    internal static bool WriteMemswFirst(long swap, long currentMemoryLimit) =>
        swap == -1 || currentMemoryLimit < swap;

    private static long CurrentMemoryLimit(string dir) =>
        long.TryParse(CgroupFile.TryRead(dir, "memory.limit_in_bytes"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long limit)
            ? limit
            : long.MaxValue;
}
