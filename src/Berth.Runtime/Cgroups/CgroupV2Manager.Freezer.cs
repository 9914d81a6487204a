using System.Diagnostics;
using Berth.Core.Errors;

namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV2Manager
{
    /// <summary>
    /// Writes 1 to cgroup.freeze and polls cgroup.events until the kernel reports "frozen 1" (the write
    /// returns before every task has stopped). On timeout the cgroup is thawed again so a failed pause
    /// never leaves it half frozen.
    /// </summary>
    public void Freeze()
    {
        CgroupFile.Write(FullPath, "cgroup.freeze", "1");
        var clock = Stopwatch.StartNew();
        int sleepMs = 1;
        while (!IsFrozen())
        {
            if (clock.Elapsed >= FreezeTimeout)
            {
                CgroupFile.Write(FullPath, "cgroup.freeze", "0");
                throw Errors.Conflict($"cgroup {Path} did not freeze within {FreezeTimeout.TotalSeconds:0.#}s");
            }

            Thread.Sleep(sleepMs);
            sleepMs = Math.Min(sleepMs * 2, 50);
        }
    }

    public void Thaw() => CgroupFile.Write(FullPath, "cgroup.freeze", "0");

    /// <summary>cgroup.freeze is what was asked for; cgroup.events' "frozen" is whether the kernel got there.</summary>
    public FreezerState GetFreezerState() =>
        CgroupFile.TryRead(FullPath, "cgroup.freeze")?.Trim() switch
        {
            "1" => IsFrozen() ? FreezerState.Frozen : FreezerState.Freezing,
            _ => FreezerState.Thawed,
        };

    private bool IsFrozen() => CgroupFile.TryReadKeyed(FullPath, "cgroup.events", "frozen") == 1;
}
