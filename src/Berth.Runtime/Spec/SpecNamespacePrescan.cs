using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Spec;

/// <summary>
/// Reads only <c>linux.namespaces</c> out of config.json text, with a bare <see cref="Utf8JsonReader"/> (no
/// serializer metadata to build), so the runtime can clone the init before it has parsed the rest. Anything it
/// cannot read with certainty (malformed JSON, a repeated key, a value of an unexpected type) makes it give up,
/// and the caller parses the whole document first, as it would without the prescan.
/// </summary>
/// <remarks>
/// Not the whole <see cref="SpecDocumentReader"/> before the clone: when it was built on <c>JsonDocument</c>, its
/// first use in a process set up pools and caches that cost more than a millisecond of each start (measured with
/// bench/runtime.sh: 17.1 ms per run that way, 15.9 ms with this prescan). It no longer does, but this still reads
/// one field where that reads them all.
/// </remarks>
public static class SpecNamespacePrescan
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        // The same leniency as SpecJsonContext: the full parse must agree with what was read here.
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The namespaces the document lists (empty when it lists none), or null when unsure.</summary>
    public static List<SpecNamespace>? TryRead(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryRead(Encoding.UTF8.GetBytes(json));
    }

    /// <summary><see cref="TryRead(string)"/>, from UTF-8.</summary>
    public static List<SpecNamespace>? TryRead(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            return ReadDocument(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<SpecNamespace>? ReadDocument(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        List<SpecNamespace>? namespaces = [];
        bool seenLinux = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isLinux = reader.ValueTextEquals("linux"u8);
            reader.Read();
            if (!isLinux)
            {
                reader.Skip();
                continue;
            }

            if (seenLinux)
            {
                return null;
            }

            seenLinux = true;
            namespaces = reader.TokenType switch
            {
                JsonTokenType.Null => [],
                JsonTokenType.StartObject => ReadLinux(ref reader),
                _ => null,
            };
            if (namespaces is null)
            {
                return null;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject ? namespaces : null;
    }

    private static List<SpecNamespace>? ReadLinux(ref Utf8JsonReader reader)
    {
        List<SpecNamespace>? namespaces = [];
        bool seen = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isNamespaces = reader.ValueTextEquals("namespaces"u8);
            reader.Read();
            if (!isNamespaces)
            {
                reader.Skip();
                continue;
            }

            if (seen)
            {
                return null;
            }

            seen = true;
            namespaces = reader.TokenType switch
            {
                JsonTokenType.Null => [],
                JsonTokenType.StartArray => ReadList(ref reader),
                _ => null,
            };
            if (namespaces is null)
            {
                return null;
            }
        }

        return namespaces;
    }

    private static List<SpecNamespace>? ReadList(ref Utf8JsonReader reader)
    {
        var list = new List<SpecNamespace>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || ReadEntry(ref reader) is not { } entry)
            {
                return null;
            }

            list.Add(entry);
        }

        return list;
    }

    private static SpecNamespace? ReadEntry(ref Utf8JsonReader reader)
    {
        string? type = null;
        string? path = null;
        bool seenType = false, seenPath = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isType = reader.ValueTextEquals("type"u8);
            bool isPath = reader.ValueTextEquals("path"u8);
            reader.Read();
            if ((isType && seenType) || (isPath && seenPath))
            {
                return null;
            }

            if (isType || isPath)
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return null;
                }

                string? value = reader.GetString();
                (type, path, seenType, seenPath) = isType ? (value, path, true, seenPath) : (type, value, seenType, true);
                continue;
            }

            reader.Skip();
        }

        return type is null ? null : new SpecNamespace { Type = type, Path = path };
    }
}
