using System.Globalization;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Engine;

/// <summary>One line of `system df`: docker's diskUsage*Context.</summary>
internal sealed class DiskUsageRow : TemplateRow
{
    public DiskUsageRow(string type, long total, long active, long size, long reclaimable, long sizeForPercent) : base("*formatter.diskUsageContext")
    {
        Add("Type", () => type);
        Add("TotalCount", () => total.ToString(CultureInfo.InvariantCulture));
        Add("Active", () => active.ToString(CultureInfo.InvariantCulture));
        Add("Size", () => HumanUnits.Size(size));
        Add("Reclaimable", () => sizeForPercent > 0
            ? $"{HumanUnits.Size(reclaimable)} ({(int)(reclaimable * 100.0 / sizeForPercent)}%)"
            : HumanUnits.Size(reclaimable));
    }
}
