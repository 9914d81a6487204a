namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV2Manager
{
    // Unlike v1, an empty v2 cpuset inherits its parent's effective set, so nothing is copied at creation.
    private void ApplyCpuset(CgroupResources r)
    {
        if (!string.IsNullOrEmpty(r.CpusetCpus))
        {
            CgroupFile.Write(FullPath, "cpuset.cpus", r.CpusetCpus);
        }

        if (!string.IsNullOrEmpty(r.CpusetMems))
        {
            CgroupFile.Write(FullPath, "cpuset.mems", r.CpusetMems);
        }
    }
}
