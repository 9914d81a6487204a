using Berth.Core.Errors;
using Berth.Linux;
using Berth.Linux.Spawn;
using Berth.Runtime.Cgroups;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

/// <summary>
/// The OCI runtime operations (runtime-spec "Operations" plus runc's extras), one file per verb.
/// Each call is a fresh process in the CLI, so everything durable lives in the <see cref="StateStore"/>.
/// </summary>
public sealed partial class OciRuntime(StateStore store, IProcessSpawner spawner, string cgroupRoot, string initBinary)
{
    public const string DefaultCgroupRoot = "/sys/fs/cgroup";

    /// <summary>
    /// Where compiled seccomp programs are kept between runtime processes; null: every create compiles. Opt-in: a
    /// runtime driven by another engine leaves nothing beyond its containers' state.
    /// </summary>
    internal Seccomp.SeccompCache? SeccompCache { get; init; }

    /// <summary>Warnings and diagnostics for the caller's log (OOM kills, cleanup trouble).</summary>
    public Action<string>? Warn { get; init; }

    public StateStore Store => store;

    /// <summary>The live status, read from the kernel rather than trusted from the state file.</summary>
    public ContainerStatus StatusOf(ContainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!IsAlive(state))
        {
            return ContainerStatus.Stopped;
        }

        if (File.Exists(store.ExecFifoOf(state.Id)))
        {
            return ContainerStatus.Created;
        }

        return CgroupOf(state).GetFreezerState() == FreezerState.Frozen ? ContainerStatus.Paused : ContainerStatus.Running;
    }

    private static bool IsAlive(ContainerState state) =>
        state.Pid > 0 && ProcessStat.TryRead(state.Pid) is { IsDead: false } stat && stat.StartTime == state.StartTime;

    // The last manager is kept: discovering the hierarchies lists and resolves /sys/fs/cgroup, and run asks for the
    // same container's cgroup four times (create, start, status, delete).
    private ICgroupManager? _lastCgroup;

    private ICgroupManager CgroupOf(ContainerState state) => CgroupOf(state.CgroupPath);

    private ICgroupManager CgroupOf(string path) =>
        _lastCgroup is { } last && last.Path == path
            ? last
            : _lastCgroup = CgroupManagerFactory.Create(cgroupRoot, path);

    /// <summary>SIGKILLs everything in the container and waits (bounded) for the init to be gone.</summary>
    private static void KillAll(ContainerState state, ICgroupManager cgroup)
    {
        using SafeFd? pidFd = IsAlive(state) ? Processes.TryOpenPidFd(state.Pid) : null;
        if (cgroup.Exists())
        {
            if (cgroup.GetFreezerState() != FreezerState.Thawed)
            {
                cgroup.Thaw(); // a frozen task cannot act on SIGKILL
            }

            foreach (int pid in cgroup.GetPids())
            {
                _ = Processes.TryKill(pid, Signals.SIGKILL);
            }
        }

        if (pidFd is not null && IsAlive(state))
        {
            _ = Processes.TrySignal(pidFd, Signals.SIGKILL);
            if (FileDescriptors.WaitReadable([pidFd], 10_000) < 0)
            {
                throw Errors.Internal($"container {state.Id}: init {state.Pid} did not die after SIGKILL");
            }
        }
    }

    /// <summary>Removes the cgroup, retrying while killed tasks are still leaving it.</summary>
    private static void DestroyCgroup(ICgroupManager cgroup)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                cgroup.Destroy();
                return;
            }
            catch (Exception ex) when (attempt < 50 && ex is IOException or BerthException)
            {
                foreach (int pid in cgroup.GetPids())
                {
                    _ = Processes.TryKill(pid, Signals.SIGKILL);
                }

                Thread.Sleep(20);
            }
        }
    }
}
