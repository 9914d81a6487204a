namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV1Manager
{
    private void ApplyPids(CgroupResources r)
    {
        if (r.PidsLimit is long limit)
        {
            CgroupFile.Write(RequireControllerDirectory("pids"), "pids.max", CgroupValues.PidsMax(limit));
        }
    }
}
