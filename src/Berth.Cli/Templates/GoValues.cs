using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Cli.Templates;

/// <summary>
/// The template's value model: JSON scalars become string/long/double/bool/null, objects and arrays stay JsonElement,
/// computed rows are <see cref="ITemplateObject"/>. Printing follows Go's fmt %v.
/// </summary>
internal static class GoValues
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static object? Normalize(object? value) => value is JsonElement e ? Normalize(e) : value;

    public static object? Normalize(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out long l) ? (object)l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e,
    };

    public static bool IsMap(object? v) => v is JsonElement { ValueKind: JsonValueKind.Object } or IReadOnlyDictionary<string, object?>;

    public static bool IsList(object? v) => v is JsonElement { ValueKind: JsonValueKind.Array } or IReadOnlyList<object?>;

    public static List<object?> Items(object? v) => v switch
    {
        JsonElement { ValueKind: JsonValueKind.Array } a => a.EnumerateArray().Select(x => Normalize(x)).ToList(),
        IReadOnlyList<object?> l => [.. l],
        _ => [],
    };

    /// <summary>Map entries sorted by key, as Go prints and ranges over maps.</summary>
    public static List<KeyValuePair<string, object?>> Entries(object? v)
    {
        IEnumerable<KeyValuePair<string, object?>> entries = v switch
        {
            JsonElement { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, Normalize(p.Value))),
            IReadOnlyDictionary<string, object?> d => d,
            _ => [],
        };
        return [.. entries.OrderBy(p => p.Key, StringComparer.Ordinal)];
    }

    public static bool TryGetKey(object? map, string key, out object? value)
    {
        switch (map)
        {
            case JsonElement { ValueKind: JsonValueKind.Object } o when o.TryGetProperty(key, out JsonElement p):
                value = Normalize(p);
                return true;
            case IReadOnlyDictionary<string, object?> d when d.TryGetValue(key, out value):
                return true;
            default:
                value = null;
                return false;
        }
    }

    /// <summary>Go's template truth: false, 0, nil, and empty strings, arrays and maps are false.</summary>
    public static bool IsTrue(object? v) => v switch
    {
        null or MissingValue => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        JsonElement { ValueKind: JsonValueKind.Array } a => a.GetArrayLength() > 0,
        JsonElement { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Any(),
        IReadOnlyList<object?> l => l.Count > 0,
        IReadOnlyDictionary<string, object?> d => d.Count > 0,
        _ => true,
    };

    public static string TypeName(object? v) => v switch
    {
        null => "<nil>",
        string => "string",
        long => "int",
        double => "float64",
        bool => "bool",
        JsonElement { ValueKind: JsonValueKind.Array } => "[]interface {}",
        JsonElement { ValueKind: JsonValueKind.Object } or IReadOnlyDictionary<string, object?> => "map[string]interface {}",
        IReadOnlyList<object?> => "[]string",
        ITemplateObject o => o.TypeName,
        _ => "interface {}",
    };

    /// <summary>fmt.Sprint of one value (%v).</summary>
    public static string Print(object? v)
    {
        var sb = new StringBuilder();
        Print(sb, Normalize(v), top: true);
        return sb.ToString();
    }

    private static void Print(StringBuilder sb, object? v, bool top)
    {
        switch (v)
        {
            case null:
                sb.Append("<nil>");
                break;
            case MissingValue:
                sb.Append(top ? "<no value>" : "<nil>");
                break;
            case string s:
                sb.Append(s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(FormatFloat(d, 'g', -1));
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } or IReadOnlyDictionary<string, object?>:
                sb.Append("map[");
                bool first = true;
                foreach (var (key, value) in Entries(v))
                {
                    if (!first)
                    {
                        sb.Append(' ');
                    }

                    first = false;
                    sb.Append(key).Append(':');
                    Print(sb, value, top: false);
                }

                sb.Append(']');
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } or IReadOnlyList<object?>:
                sb.Append('[');
                bool firstItem = true;
                foreach (object? item in Items(v))
                {
                    if (!firstItem)
                    {
                        sb.Append(' ');
                    }

                    firstItem = false;
                    Print(sb, item, top: false);
                }

                sb.Append(']');
                break;
            case ITemplateObject o:
                sb.Append('{');
                sb.AppendJoin(' ', o.FieldNames.Select(n => o.TryGetField(n, out object? f) && f is not TemplateMethod ? Print(f) : ""));
                sb.Append('}');
                break;
            default:
                sb.Append(Convert.ToString(v, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Go's strconv.FormatFloat for 'g' with shortest precision, 'f' and 'e'.</summary>
    public static string FormatFloat(double d, char verb, int precision)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }

        switch (verb)
        {
            case 'f' or 'F':
                return d.ToString("F" + (precision < 0 ? 6 : precision), CultureInfo.InvariantCulture);
            case 'e' or 'E':
                {
                    string s = d.ToString((verb == 'e' ? "e" : "E") + (precision < 0 ? 6 : precision), CultureInfo.InvariantCulture);
                    return GoExponent(s);
                }

            default:
                {
                    if (precision >= 0)
                    {
                        return GoExponent(d.ToString("G" + Math.Max(precision, 1), CultureInfo.InvariantCulture).Replace('E', 'e'));
                    }

                    // Shortest round-trip digits; Go switches to exponent form when exp < -4 || exp >= 21.
                    string r = d.ToString("R", CultureInfo.InvariantCulture);
                    double abs = Math.Abs(d);
                    if (abs != 0 && (abs < 1e-4 || abs >= 1e21))
                    {
                        return GoExponent(d.ToString("0.################e+00", CultureInfo.InvariantCulture));
                    }

                    return r.Contains('E', StringComparison.Ordinal) ? d.ToString("0.####################", CultureInfo.InvariantCulture) : r;
                }
        }
    }

    /// <summary>.NET writes e+006 or E+06; Go writes at least two exponent digits: e+06.</summary>
    private static string GoExponent(string s)
    {
        int e = s.IndexOfAny(['e', 'E']);
        if (e < 0 || e + 2 > s.Length)
        {
            return s;
        }

        string digits = s[(e + 2)..].TrimStart('0');
        return s[..(e + 2)] + digits.PadLeft(2, '0');
    }

    /// <summary>docker's `json` template function: Go's json.Encoder with HTML escaping off, trailing newline trimmed.</summary>
    public static string ToJson(object? v)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            WriteJson(writer, v);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null or MissingValue:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case double d:
                w.WriteNumberValue(d);
                break;
            case JsonElement e:
                e.WriteTo(w);
                break;
            case IReadOnlyDictionary<string, object?> d:
                w.WriteStartObject();
                foreach (var (key, value) in Entries(d))
                {
                    w.WritePropertyName(key);
                    WriteJson(w, value);
                }

                w.WriteEndObject();
                break;
            case IReadOnlyList<object?> l:
                w.WriteStartArray();
                foreach (object? item in l)
                {
                    WriteJson(w, item);
                }

                w.WriteEndArray();
                break;
            case ITemplateObject o:
                w.WriteStartObject();
                foreach (string name in o.FieldNames.Order(StringComparer.Ordinal))
                {
                    if (o.TryGetField(name, out object? f) && f is not TemplateMethod)
                    {
                        w.WritePropertyName(name);
                        WriteJson(w, f);
                    }
                }

                w.WriteEndObject();
                break;
            default:
                w.WriteStringValue(Convert.ToString(v, CultureInfo.InvariantCulture));
                break;
        }
    }
}
