using System.Text.Json;
using Berth.Api.Json;

namespace Berth.Cli.Commands;

/// <summary>--filter key=value flags → the API's filters JSON: {"key":{"value":true}}.</summary>
internal static class Filters
{
    public static string? ToJson(IEnumerable<string>? filters)
    {
        var map = new Dictionary<string, Dictionary<string, bool>>(StringComparer.Ordinal);
        foreach (string filter in filters ?? [])
        {
            int eq = filter.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"invalid argument \"{filter}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
            }

            string key = filter[..eq].Trim().ToLowerInvariant();
            map.TryAdd(key, []);
            map[key][filter[(eq + 1)..].Trim()] = true;
        }

        return map.Count == 0 ? null : JsonSerializer.Serialize(map, ApiJsonContext.Default.DictionaryStringDictionaryStringBoolean);
    }
}
