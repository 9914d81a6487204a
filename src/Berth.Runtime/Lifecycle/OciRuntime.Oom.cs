using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>How many of the container's processes the OOM killer took (its cgroup's memory events); read before delete.</summary>
    public long OomKillCount(string id)
    {
        ContainerState state = store.Load(id);
        Cgroups.ICgroupManager cgroup = CgroupOf(state);
        return cgroup.Exists() ? cgroup.GetOomKillCount() : 0;
    }
}
