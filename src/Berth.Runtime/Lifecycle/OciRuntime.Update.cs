using Berth.Core.Errors;
using Berth.Runtime.Spec;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>Changes the cgroup limits of a created, running or paused container.</summary>
    public void Update(string id, SpecResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ContainerState state = store.Load(id);
        if (StatusOf(state) == ContainerStatus.Stopped)
        {
            throw Errors.FailedPrecondition("container not running");
        }

        CgroupOf(state).Apply(ResourcesOf(resources));
    }
}
