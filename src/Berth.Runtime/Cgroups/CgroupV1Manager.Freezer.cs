using System.Diagnostics;
using Berth.Core.Errors;

namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV1Manager
{
    private const string Frozen = "FROZEN", Freezing = "FREEZING", Thawed = "THAWED";

    /// <summary>
    /// Writes FROZEN until the state reads FROZEN (runc's loop). A write only freezes the tasks present at
    /// that moment, so a forking workload can sit in FREEZING; re-writing catches the new tasks, and an
    /// occasional thaw lets a task stuck in the kernel leave it. Gives up after <see cref="FreezeTimeout"/>
    /// and thaws, so a failed pause never leaves the container half frozen.
    /// </summary>
    public void Freeze()
    {
        string dir = RequireControllerDirectory("freezer");
        var clock = Stopwatch.StartNew();
        for (int attempt = 0; ; attempt++)
        {
            if (attempt % 50 == 49)
            {
                CgroupFile.Write(dir, "freezer.state", Thawed);
                Thread.Sleep(10);
            }

            CgroupFile.Write(dir, "freezer.state", Frozen);
            if (attempt % 25 == 24)
            {
                Thread.Sleep(10);
            }

            string? state = CgroupFile.TryRead(dir, "freezer.state")?.Trim();
            if (state == Frozen)
            {
                return;
            }

            if (state != Freezing)
            {
                throw Errors.Internal($"unexpected freezer state \"{state}\" in {dir}");
            }

            if (clock.Elapsed >= FreezeTimeout)
            {
                CgroupFile.Write(dir, "freezer.state", Thawed);
                throw Errors.Conflict($"cgroup {Path} did not freeze within {FreezeTimeout.TotalSeconds:0.#}s");
            }

            Thread.Sleep(1);
        }
    }

    public void Thaw() => CgroupFile.Write(RequireControllerDirectory("freezer"), "freezer.state", Thawed);

    public FreezerState GetFreezerState() =>
        (ControllerDirectory("freezer") is { } dir ? CgroupFile.TryRead(dir, "freezer.state")?.Trim() : null) switch
        {
            Frozen => FreezerState.Frozen,
            Freezing => FreezerState.Freezing,
            _ => FreezerState.Thawed,
        };
}
