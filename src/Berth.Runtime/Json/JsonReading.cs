using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Json;

/// <summary>
/// Forward-only reading of JSON on a bare <see cref="Utf8JsonReader"/>, by the serializer's rules: case-sensitive
/// names, unknown ones skipped whatever their shape, the last of a repeated one wins, null for JSON null.
/// </summary>
/// <remarks>
/// For the short-lived processes of each container start (the shim, the runtime, the init). Nothing here uses
/// <see cref="JsonDocument"/> or rents from <c>ArrayPool&lt;byte&gt;.Shared</c>: the pool's first use in a process
/// can run <c>ProcessorIdCache</c>'s timing loop (about 0.2 ms of CPU), and JsonDocument also builds a metadata
/// database it reads once. The reader's own <see cref="Utf8JsonReader.GetString"/> and
/// <see cref="Utf8JsonReader.GetBytesFromBase64"/> rent for escaped strings and base64 longer than 256 bytes
/// (config.json inside the init request, a seccomp program), so <see cref="GetString"/> and
/// <see cref="GetBytesFromBase64"/> stand in for them.
/// </remarks>
internal static class JsonReading
{
    /// <summary>Sets the property <paramref name="name"/> of <paramref name="target"/>; the reader stands on its value
    /// and ends on the value's last token (a value left unread is skipped).</summary>
    public delegate void PropertySetter<in T>(T target, string name, ref Utf8JsonReader reader);

    /// <summary>Reads one value; the reader stands on its first token and must end on its last.</summary>
    public delegate T ValueReader<out T>(ref Utf8JsonReader reader);

    /// <summary>
    /// <paramref name="json"/> as one value read by <paramref name="read"/> (null for JSON null), as strictly as the
    /// serializer reads it: nothing but whitespace (and comments, when <paramref name="options"/> skips them) may
    /// follow the value, and every failure is a <see cref="JsonException"/>.
    /// </summary>
    public static T? ReadDocument<T>(ReadOnlySpan<byte> json, JsonReaderOptions options, ValueReader<T> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        var reader = new Utf8JsonReader(json, options);
        try
        {
            if (!reader.Read())
            {
                throw new JsonException("expected a JSON value, found the end of the document");
            }

            T? value = reader.TokenType == JsonTokenType.Null ? null : read(ref reader);
            if (reader.Read())
            {
                throw new JsonException($"expected the end of the document, found {reader.TokenType}");
            }

            return value;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // How the reader's Get* methods refuse a token of the wrong type or a number out of range; callers
            // handle malformed JSON as JsonException, which is what the serializer throws for both.
            throw new JsonException(ex.Message, ex);
        }
    }

    /// <summary><paramref name="json"/> as one object, by <see cref="ReadDocument"/>'s rules; JSON null is refused too.</summary>
    public static T ReadObjectDocument<T>(ReadOnlySpan<byte> json, JsonReaderOptions options, PropertySetter<T> set)
        where T : class, new() =>
        ReadDocument(json, options, (ref Utf8JsonReader reader) => ReadObject(ref reader, set)!)
        ?? throw new JsonException("expected a JSON object, found Null");

    /// <summary>A JSON object as a new <typeparamref name="T"/>, or null for JSON null.</summary>
    public static T? ReadObject<T>(ref Utf8JsonReader reader, PropertySetter<T> set)
        where T : class, new()
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var value = new T();
        ReadProperties(ref reader, value, set);
        return value;
    }

    /// <summary>Reads one object into <paramref name="target"/>, property by property in document order, from its start
    /// token to its end token.</summary>
    public static void ReadProperties<T>(ref Utf8JsonReader reader, T target, PropertySetter<T> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a JSON object, found {reader.TokenType}");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = GetString(ref reader)!;
            reader.Read();
            set(target, name, ref reader);

            // An unknown property, or a known one whose setter ignores it: an unread object or array would
            // otherwise be taken for the rest of this one.
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException($"expected the end of a JSON object, found {reader.TokenType}");
        }
    }

    /// <summary>A JSON array, each item read by <paramref name="item"/>, or null for JSON null.</summary>
    public static List<T>? ReadList<T>(ref Utf8JsonReader reader, ValueReader<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected a JSON array, found {reader.TokenType}");
        }

        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(item(ref reader));
        }

        return list;
    }

    /// <summary>A JSON array of strings (null items allowed), or null for JSON null.</summary>
    public static List<string>? ReadNullableStrings(ref Utf8JsonReader reader) => ReadList(ref reader, GetString)!;

    /// <summary>A JSON array of strings, none of them null; JSON null is refused too.</summary>
    public static List<string> ReadStrings(ref Utf8JsonReader reader) =>
        ReadList(ref reader, static (ref Utf8JsonReader r) => r.TokenType == JsonTokenType.String
            ? GetString(ref r)!
            : throw new JsonException($"expected a string, found {r.TokenType}"))
        ?? throw new JsonException("expected a JSON array, found Null");

    /// <summary>A JSON object of strings as a dictionary (the last of a repeated name wins), or null for JSON null.</summary>
    public static Dictionary<string, string>? ReadMap(ref Utf8JsonReader reader) =>
        ReadObject<Dictionary<string, string>>(ref reader, static (map, name, ref r) => map[name] = GetString(ref r)!);

    /// <summary>
    /// <see cref="Utf8JsonReader.GetString"/> (null for JSON null; other tokens but strings and names refused) without
    /// its pool rental for a long escaped string.
    /// </summary>
    public static string? GetString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.GetString();
        }

        Debug.Assert(!reader.HasValueSequence, "every reader here reads one span");
        byte[] unescaped = new byte[reader.ValueSpan.Length];
        int length = reader.CopyString(unescaped); // validates the UTF-8, as GetString does
        return Encoding.UTF8.GetString(unescaped, 0, length);
    }

    /// <summary><see cref="Utf8JsonReader.GetBytesFromBase64"/> without its pool rental for a long value.</summary>
    public static byte[] GetBytesFromBase64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return reader.GetBytesFromBase64(); // refuses the token as the reader does
        }

        Debug.Assert(!reader.HasValueSequence, "every reader here reads one span");
        byte[] text = new byte[reader.ValueSpan.Length];
        int length = reader.CopyString(text);
        if (Base64.DecodeFromUtf8InPlace(text.AsSpan(0, length), out int written) != System.Buffers.OperationStatus.Done)
        {
            throw new FormatException("the JSON string is not valid base64");
        }

        return text.AsSpan(0, written).ToArray();
    }
}
