using System.Text.Json;
using Berth.Api.Json;
using Berth.Core.Errors;

namespace Berth.Daemon.Http;

/// <summary>
/// Docker's <c>filters</c> query parameter: JSON <c>{"label":{"a=b":true}}</c>, or the pre-1.22 form
/// <c>{"label":["a=b"]}</c>; a key maps to the set of values it may match (any of them).
/// </summary>
internal sealed class FilterSet
{
    private readonly Dictionary<string, IReadOnlyList<string>> _values;

    public FilterSet(Dictionary<string, IReadOnlyList<string>> values) => _values = values;

    public static FilterSet Empty { get; } = new([]);

    public IEnumerable<string> Keys => _values.Keys;

    public bool IsEmpty => _values.Count == 0;

    public IReadOnlyList<string> Get(string key) => _values.TryGetValue(key, out IReadOnlyList<string>? values) ? values : [];

    public bool Contains(string key) => _values.ContainsKey(key);

    public static FilterSet Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        try
        {
            Dictionary<string, Dictionary<string, bool>>? modern = JsonSerializer.Deserialize(json, ApiJsonContext.Default.DictionaryStringDictionaryStringBoolean);
            return new FilterSet((modern ?? []).ToDictionary(
                p => p.Key, p => (IReadOnlyList<string>)[.. p.Value.Where(v => v.Value).Select(v => v.Key)], StringComparer.Ordinal));
        }
        catch (JsonException)
        {
            // Fall through to the legacy list form.
        }

        try
        {
            Dictionary<string, IReadOnlyList<string>>? legacy = JsonSerializer.Deserialize(json, ApiJsonContext.Default.DictionaryStringIReadOnlyListString);
            return new FilterSet(legacy ?? []);
        }
        catch (JsonException ex)
        {
            throw Errors.InvalidArgument($"invalid filter: {ex.Message}");
        }
    }
}
