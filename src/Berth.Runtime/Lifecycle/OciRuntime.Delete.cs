using Berth.Core.Errors;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Hooks;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>
    /// Removes every trace of a stopped container: cgroups and state directory. A created container is killed
    /// first (as runc does); a running or paused one only with <paramref name="force"/>.
    /// </summary>
    public void Delete(string id, bool force = false)
    {
        StateStore.ValidateId(id);
        if (!store.Exists(id))
        {
            // A create that died before writing state.json can leave the directory; it is ours to remove.
            store.Remove(id);
            if (force)
            {
                return;
            }

            throw Errors.NotFound($"container does not exist: {id}");
        }

        Delete(store.Load(id), force);
    }

    private void Delete(ContainerState state, bool force)
    {
        string id = state.Id;
        ContainerStatus status = StatusOf(state);
        if (status is ContainerStatus.Running or ContainerStatus.Paused && !force)
        {
            throw Errors.FailedPrecondition($"cannot delete container {id} that is not stopped: {status.ToString().ToLowerInvariant()}");
        }

        ICgroupManager cgroup = CgroupOf(state);
        KillAll(state, cgroup);
        if (cgroup.Exists())
        {
            DestroyCgroup(cgroup);
        }

        store.Remove(id);
        try
        {
            HookRunner.RunAll("poststop", state.Hooks?.Poststop, new OciState { Id = id, Status = "stopped", Bundle = state.Bundle, Annotations = state.Annotations });
        }
        catch (BerthException ex)
        {
            Warn?.Invoke(ex.Message);
        }
    }
}
