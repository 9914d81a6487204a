using System.Globalization;

namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV2Manager
{
    /// <summary>cpu.weight from v1 shares, and cpu.max as "quota period" ("max" when the quota is unlimited).</summary>
    private void ApplyCpu(CgroupResources r)
    {
        ulong weight = CgroupValues.SharesToWeight(r.CpuShares ?? 0);
        if (weight != 0)
        {
            CgroupFile.Write(FullPath, "cpu.weight", weight);
        }

        long quota = r.CpuQuota ?? 0;
        ulong period = r.CpuPeriod ?? 0;
        if (quota != 0 || period != 0)
        {
            // A quota alone keeps the current period: the kernel accepts "quota" without the second field.
            string value = quota > 0 ? quota.ToString(CultureInfo.InvariantCulture) : CgroupValues.Max;
            if (period != 0)
            {
                value += " " + period.ToString(CultureInfo.InvariantCulture);
            }

            CgroupFile.Write(FullPath, "cpu.max", value);
        }
    }
}
