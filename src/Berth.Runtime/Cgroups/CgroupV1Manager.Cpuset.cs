namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV1Manager
{
    private void ApplyCpuset(CgroupResources r)
    {
        if (string.IsNullOrEmpty(r.CpusetCpus) && string.IsNullOrEmpty(r.CpusetMems))
        {
            return;
        }

        string dir = RequireControllerDirectory("cpuset");
        if (!string.IsNullOrEmpty(r.CpusetCpus))
        {
            CgroupFile.Write(dir, "cpuset.cpus", r.CpusetCpus);
        }

        if (!string.IsNullOrEmpty(r.CpusetMems))
        {
            CgroupFile.Write(dir, "cpuset.mems", r.CpusetMems);
        }
    }

    /// <summary>
    /// A new v1 cpuset starts with empty cpus and mems, and the kernel refuses to attach a process to it
    /// (ENOSPC) until both are set, so every level gets its parent's values unless it already has some.
    /// </summary>
    private static void InheritCpuset(string parent, string child)
    {
        foreach (string name in (ReadOnlySpan<string>)["cpuset.cpus", "cpuset.mems"])
        {
            if (string.IsNullOrWhiteSpace(CgroupFile.TryRead(child, name))
                && CgroupFile.TryRead(parent, name) is { } inherited && !string.IsNullOrWhiteSpace(inherited))
            {
                CgroupFile.Write(child, name, inherited);
            }
        }
    }
}
