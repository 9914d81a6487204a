using System.Globalization;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>docker/go-units: HumanDuration ("About a minute") and HumanSizeWithPrecision (SI units: "4.26MB").</summary>
internal static class HumanUnits
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

    public static string Duration(TimeSpan d)
    {
        long seconds = (long)d.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }

        if (seconds == 1)
        {
            return "1 second";
        }

        if (seconds < 60)
        {
            return $"{seconds} seconds";
        }

        long minutes = (long)d.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }

        if (minutes < 60)
        {
            return $"{minutes} minutes";
        }

        long hours = (long)Math.Round(d.TotalHours, MidpointRounding.AwayFromZero);
        return hours switch
        {
            1 => "About an hour",
            < 48 => $"{hours} hours",
            < 24 * 7 * 2 => $"{hours / 24} days",
            < 24 * 30 * 2 => $"{hours / 24 / 7} weeks",
            < 24 * 365 * 2 => $"{hours / 24 / 30} months",
            _ => $"{(long)d.TotalHours / 24 / 365} years",
        };
    }

    /// <summary>HumanSizeWithPrecision(size, precision): %.{precision}g of the size in powers of 1000, then the unit.</summary>
    public static string Size(double size, int precision = 3)
    {
        int unit = 0;
        while (size >= 1000 && unit < DecimalUnits.Length - 1)
        {
            size /= 1000;
            unit++;
        }

        return GoValues.FormatFloat(size, 'g', precision) + DecimalUnits[unit];
    }

    /// <summary>go-units BytesSize: powers of 1024 with two decimals ("7.667GiB"), as `info` shows memory.</summary>
    public static string BinarySize(double size)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        int unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return GoValues.FormatFloat(size, 'g', 4) + units[unit];
    }

    /// <summary>HumanSize: precision 4, as progress bars use.</summary>
    public static string ProgressSize(double size) => Size(size, 4);

    /// <summary>Go's time.Time.String() for a Unix time, in UTC as containers report it: "2024-01-02 15:04:05 +0000 UTC".</summary>
    public static string GoTime(long unixSeconds) => GoLocalTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToLocalTime());

    private static string GoLocalTime(DateTimeOffset t)
    {
        TimeSpan offset = t.Offset;
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        string zone = offset == TimeSpan.Zero ? "UTC" : TimeZoneInfo.Local.StandardName;
        return t.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + Math.Abs(offset.Hours).ToString("00", CultureInfo.InvariantCulture) + Math.Abs(offset.Minutes).ToString("00", CultureInfo.InvariantCulture)
            + " " + zone;
    }
}
