using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>
    /// create + start; unless detached, stays attached (signals, terminal), reports an OOM kill, deletes the
    /// container and returns its exit status (128 + signal when killed).
    /// </summary>
    public int Run(string id, string bundle, bool detach, CreateOptions? options = null)
    {
        options = (options ?? new CreateOptions()) with { Foreground = !detach };
        (StartedProcess started, ContainerState state) = CreateContainer(id, bundle, options);
        using (started)
        {
            try
            {
                Start(state);
            }
            catch
            {
                Delete(state, force: true);
                throw;
            }

            if (detach)
            {
                return 0;
            }

            int status = ForegroundProcess.Wait(started.Process, started.Console);
            long oomKills = CgroupOf(state).GetOomKillCount();
            if (oomKills > 0)
            {
                Warn?.Invoke($"container {id}: {oomKills} process(es) killed by the OOM killer (memory limit reached)");
            }

            // The state we saved ourselves: nobody else may touch a container we run in the foreground.
            Delete(state, force: true);
            return status;
        }
    }
}
