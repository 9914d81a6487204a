using Berth.Linux;

namespace Berth.Runtime.Cgroups;

internal sealed partial class CgroupV1Manager
{
    // 0 means "not set" for all three, as in runc: the spec's Go origins cannot tell 0 from absent.
    private void ApplyCpu(CgroupResources r)
    {
        ulong shares = r.CpuShares ?? 0;
        long quota = r.CpuQuota ?? 0;
        ulong period = r.CpuPeriod ?? 0;
        if (shares == 0 && quota == 0 && period == 0)
        {
            return;
        }

        string dir = RequireControllerDirectory("cpu");
        if (shares != 0)
        {
            CgroupFile.Write(dir, "cpu.shares", shares);
        }

        bool periodPending = false;
        if (period != 0)
        {
            Errno errno = CgroupFile.TryWrite(dir, "cpu.cfs_period_us", FormatInvariant(period));

            // A shorter period can make old_quota/new_period exceed the parent's bandwidth (EINVAL); when a new
            // quota is coming, write it first and the period after (runc does the same).
            periodPending = errno == Errno.EINVAL && quota != 0;
            if (errno != Errno.None && !periodPending)
            {
                throw new LinuxException(errno, $"write \"{period}\" to", System.IO.Path.Join(dir, "cpu.cfs_period_us"));
            }
        }

        if (quota != 0)
        {
            CgroupFile.Write(dir, "cpu.cfs_quota_us", quota);
        }

        if (periodPending)
        {
            CgroupFile.Write(dir, "cpu.cfs_period_us", period);
        }
    }

    private static string FormatInvariant(ulong value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
