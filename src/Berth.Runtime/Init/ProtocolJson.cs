using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Init;

/// <summary>
/// The hand-written JSON of the init protocol, both halves, and of the shim's own side of its protocol (see
/// <see cref="InitRequest"/> for why by hand).
/// </summary>
internal static class ProtocolJson
{
    /// <summary>One line of JSON: <paramref name="write"/> writes the whole value into a buffer of about <paramref name="capacity"/> bytes.</summary>
    public static string Write(int capacity, Action<Utf8JsonWriter> write) => Encoding.UTF8.GetString(Buffer(capacity, write).WrittenSpan);

    /// <summary><see cref="Write"/>, as UTF-8 bytes.</summary>
    public static byte[] WriteUtf8(int capacity, Action<Utf8JsonWriter> write) => Buffer(capacity, write).WrittenSpan.ToArray();

    private static ArrayBufferWriter<byte> Buffer(int capacity, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(capacity);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer;
    }

    /// <summary>Reads <paramref name="json"/>, which must be one object, property by property.</summary>
    public static void ReadObject(string json, PropertyReader property)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        ReadObject(ref reader, property);
    }

    /// <summary>Reads the value of one property; the reader stands on that value and must end on its last token.</summary>
    public delegate void PropertyReader(ref Utf8JsonReader reader, string name);

    /// <summary>Reads one value; the reader stands on its first token and must end on its last.</summary>
    public delegate T ValueReader<T>(ref Utf8JsonReader reader);

    /// <summary>Reads one object, from its start token (read first when the reader has not started) to its end token.</summary>
    public static void ReadObject(ref Utf8JsonReader reader, PropertyReader property)
    {
        if (reader.TokenType == JsonTokenType.None)
        {
            reader.Read();
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a JSON object, found {reader.TokenType}");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            property(ref reader, name);
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException($"expected the end of a JSON object, found {reader.TokenType}");
        }
    }

    /// <summary>
    /// <paramref name="json"/> as one value read by <paramref name="read"/> (null for JSON null), as strictly as the
    /// serializer reads it: nothing may follow the value, and every failure is a <see cref="JsonException"/>.
    /// </summary>
    public static T? ReadDocument<T>(ReadOnlySpan<byte> json, ValueReader<T> read)
        where T : class
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            reader.Read();
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

    /// <summary>A JSON array of strings, from its start token to its end token.</summary>
    public static List<string> ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected a JSON array, found {reader.TokenType}");
        }

        var strings = new List<string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            strings.Add(reader.GetString()!);
        }

        return reader.TokenType == JsonTokenType.EndArray ? strings : throw new JsonException($"expected a string, found {reader.TokenType}");
    }
}
