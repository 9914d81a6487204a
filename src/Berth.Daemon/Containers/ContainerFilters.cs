using Berth.Core.Errors;
using Berth.Daemon.Http;

namespace Berth.Daemon.Containers;

/// <summary><c>docker ps --filter</c> and <c>container prune --filter</c> as Docker evaluates them: values of one key
/// are alternatives (OR), different keys must all hold (AND).</summary>
internal static class ContainerFilters
{
    private static readonly string[] ListKeys = ["id", "name", "label", "status", "exited", "ancestor", "before", "since", "network", "volume", "health", "is-task", "publish", "expose"];

    public static void ValidateListFilters(FilterSet filters)
    {
        foreach (string key in filters.Keys)
        {
            if (!ListKeys.Contains(key))
                throw Errors.InvalidArgument($"invalid filter '{key}'");
        }
        foreach (string status in filters.Get("status"))
        {
            if (status is not (ContainerStatuses.Created or ContainerStatuses.Running or ContainerStatuses.Paused or ContainerStatuses.Restarting or ContainerStatuses.Removing or ContainerStatuses.Exited or ContainerStatuses.Dead))
                throw Errors.InvalidArgument($"invalid filter 'status={status}'");
        }
    }

    public static bool MatchList(ContainerRecord record, FilterSet filters, Func<string, string?> imageIdOf)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(filters);
        return Any(filters.Get("id"), v => record.Id.StartsWith(v, StringComparison.Ordinal))
            && Any(filters.Get("name"), v => record.Name.Contains(v.TrimStart('/'), StringComparison.Ordinal))
            && Any(filters.Get("status"), v => v == record.State.Status)
            && Any(filters.Get("exited"), v => !record.State.Running && record.HasBeenStarted && v == record.State.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))
            && Any(filters.Get("ancestor"), v => v == record.ImageName || imageIdOf(v) == record.ImageId || record.ImageId.StartsWith("sha256:" + v, StringComparison.Ordinal))
            && MatchLabels(record, filters);
    }

    /// <summary>Every <c>label=key</c> / <c>label=key=value</c> must hold.</summary>
    public static bool MatchLabels(ContainerRecord record, FilterSet filters)
    {
        ArgumentNullException.ThrowIfNull(record);
        IDictionary<string, string> labels = record.Config.Labels ?? new Dictionary<string, string>();
        foreach (string filter in filters.Get("label"))
        {
            int eq = filter.IndexOf('=', StringComparison.Ordinal);
            bool holds = eq < 0
                ? labels.ContainsKey(filter)
                : labels.TryGetValue(filter[..eq], out string? value) && value == filter[(eq + 1)..];
            if (!holds)
                return false;
        }
        return true;
    }

    /// <summary><c>until=</c> (prune): a Unix timestamp, an RFC 3339 time or a Go duration ago ("10m", "24h").</summary>
    public static bool MatchUntil(ContainerRecord record, FilterSet filters)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (string until in filters.Get("until"))
        {
            if (record.Created >= ParseTime(until))
                return false;
        }
        return true;
    }

    private static DateTimeOffset ParseTime(string value)
    {
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds))
            return DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
            return time;
        if (value.Length > 1 && double.TryParse(value[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double amount))
        {
            TimeSpan ago = value[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => throw Errors.InvalidArgument($"invalid filter 'until={value}'"),
            };
            return DateTimeOffset.UtcNow - ago;
        }
        throw Errors.InvalidArgument($"invalid filter 'until={value}'");
    }

    private static bool Any(IReadOnlyList<string> values, Func<string, bool> match) => values.Count == 0 || values.Any(match);
}
