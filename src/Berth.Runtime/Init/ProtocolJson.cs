using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Init;

/// <summary>The init protocol's hand-written JSON, both halves (see <see cref="InitRequest"/> for why by hand).</summary>
internal static class ProtocolJson
{
    /// <summary>One line of JSON: <paramref name="write"/> writes the whole value into a buffer of about <paramref name="capacity"/> bytes.</summary>
    public static string Write(int capacity, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(capacity);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads <paramref name="json"/>, which must be one object, property by property.</summary>
    public static void ReadObject(string json, PropertyReader property)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        ReadObject(ref reader, property);
    }

    /// <summary>Reads the value of one property; the reader stands on that value and must end on its last token.</summary>
    public delegate void PropertyReader(ref Utf8JsonReader reader, string name);

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
}
