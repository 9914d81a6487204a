using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Linux.Spawn;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    private static readonly PosixSignal[] ForwardedSignals =
        [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    /// <summary>
    /// create + start; unless detached, forwards signals to the container, waits for it, reports an OOM kill,
    /// deletes it and returns its exit status (128 + signal when killed).
    /// </summary>
    public int Run(string id, string bundle, bool detach, string? pidFile = null)
    {
        using SpawnedProcess process = Create(id, bundle, pidFile);
        try
        {
            Start(id);
        }
        catch
        {
            Delete(id, force: true);
            throw;
        }

        if (detach)
        {
            return 0;
        }

        var registrations = ForwardedSignals.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            _ = Processes.TrySignal(process.PidFd, (int)SignalNumber(context.Signal));
        })).ToList();
        int status;
        try
        {
            status = Processes.WaitForExit(process.Pid);
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
        }

        ContainerState state = store.Load(id);
        long oomKills = CgroupOf(state).GetOomKillCount();
        if (oomKills > 0)
        {
            Warn?.Invoke($"container {id}: {oomKills} process(es) killed by the OOM killer (memory limit reached)");
        }

        Delete(id, force: true);
        return status;
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => (int)signal,
    };
}
