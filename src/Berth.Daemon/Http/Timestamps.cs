using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Daemon.Http;

/// <summary>
/// Docker's time arguments (<c>since</c>, <c>until</c> of events and logs): Unix seconds with an optional fraction
/// ("1700000000.5"), RFC 3339, or a Go duration ("10m", "1h30m") meaning that long before now.
/// </summary>
internal static partial class Timestamps
{
    public static DateTimeOffset? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal seconds))
        {
            long whole = (long)decimal.Truncate(seconds);
            long ticks = (long)((seconds - whole) * TimeSpan.TicksPerSecond);
            return DateTimeOffset.FromUnixTimeSeconds(whole).AddTicks(ticks);
        }

        if (DurationPattern().IsMatch(value))
        {
            return now - ParseDuration(value);
        }

        try
        {
            return Api.Json.RfcTimeConverter.Parse(value);
        }
        catch (FormatException)
        {
            throw Errors.InvalidArgument($"failed to parse value as time or duration: \"{value}\"");
        }
    }

    private static TimeSpan ParseDuration(string value)
    {
        TimeSpan total = TimeSpan.Zero;
        foreach (Match part in DurationPartPattern().Matches(value))
        {
            double amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                _ => TimeSpan.Zero,
            };
        }

        return total;
    }

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(h|ms|m|s))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(h|ms|m|s)")]
    private static partial Regex DurationPartPattern();
}
