using Berth.Core.Errors;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>Freezes every process of the container (freezer cgroup on v1, cgroup.freeze on v2).</summary>
    public void Pause(string id)
    {
        ContainerState state = store.Load(id);
        if (StatusOf(state) != ContainerStatus.Running)
        {
            throw Errors.FailedPrecondition("container not running");
        }

        CgroupOf(state).Freeze();
    }

    public void Resume(string id)
    {
        ContainerState state = store.Load(id);
        if (StatusOf(state) != ContainerStatus.Paused)
        {
            throw Errors.FailedPrecondition("container not paused");
        }

        CgroupOf(state).Thaw();
    }

    /// <summary>Pids of every process in the container, for <c>ps</c>.</summary>
    public IReadOnlyList<int> Pids(string id)
    {
        ContainerState state = store.Load(id);
        return StatusOf(state) == ContainerStatus.Stopped ? [] : CgroupOf(state).GetPids();
    }
}
