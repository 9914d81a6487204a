namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV2Manager
{
    private void ApplyPids(CgroupResources r)
    {
        if (r.PidsLimit is long limit)
        {
            CgroupFile.Write(FullPath, "pids.max", CgroupValues.PidsMax(limit));
        }
    }
}
