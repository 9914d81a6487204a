using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>Sends a signal to the init, or with <paramref name="all"/> to every process in the container.</summary>
    public void Kill(string id, int signal, bool all = false)
    {
        ContainerState state = store.Load(id);
        ContainerStatus status = StatusOf(state);
        if (status == ContainerStatus.Stopped && !all)
        {
            throw Errors.FailedPrecondition("container not running");
        }

        if (all)
        {
            foreach (int pid in CgroupOf(state).GetPids())
            {
                _ = Processes.TryKill(pid, signal);
            }

            return;
        }

        using SafeFd pidFd = Processes.TryOpenPidFd(state.Pid) ?? throw Errors.FailedPrecondition("container not running");
        // The pidfd was opened after the liveness check; check again so a recycled pid is never signalled.
        if (!IsAlive(state))
        {
            throw Errors.FailedPrecondition("container not running");
        }

        Errno error = Processes.TrySignal(pidFd, signal);
        if (error != Errno.None)
        {
            throw new LinuxException(error, $"kill {signal}", state.Id);
        }
    }
}
