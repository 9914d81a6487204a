using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Spec;

/// <summary>Edits of config.json text that keep every other byte of each value as it was.</summary>
internal static class SpecText
{
    /// <summary>
    /// The document without <c>linux.seccomp</c>: what the init gets, since it installs the program the runtime
    /// compiled and never reads the profile, which is most of Docker's config.json (parsing it again was a tenth of
    /// the init's own work).
    /// </summary>
    public static string WithoutSeccomp(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return json;
        }

        var output = new ArrayBufferWriter<byte>(utf8.Length);
        bool removed = false;
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                writer.WritePropertyName(name);
                if (name == "linux" && reader.TokenType == JsonTokenType.StartObject)
                {
                    writer.WriteStartObject();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string inner = reader.GetString()!;
                        reader.Read();
                        if (inner == "seccomp")
                        {
                            reader.Skip();
                            removed = true;
                            continue;
                        }

                        writer.WritePropertyName(inner);
                        CopyValue(ref reader, utf8, writer);
                    }

                    writer.WriteEndObject();
                }
                else
                {
                    CopyValue(ref reader, utf8, writer);
                }
            }

            writer.WriteEndObject();
        }

        return removed ? Encoding.UTF8.GetString(output.WrittenSpan) : json;
    }

    /// <summary>Copies the value the reader stands on, as its source bytes, and leaves the reader on its last token.</summary>
    private static void CopyValue(ref Utf8JsonReader reader, byte[] source, Utf8JsonWriter writer)
    {
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        writer.WriteRawValue(source.AsSpan(start, (int)reader.BytesConsumed - start), skipInputValidation: true);
    }
}
