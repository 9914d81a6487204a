using System.Text.Json;

namespace Berth.Runtime.Init;

/// <summary>The reading half of the init protocol's hand-written JSON (see <see cref="InitRequest"/> for why by hand).</summary>
internal static class ProtocolJson
{
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
