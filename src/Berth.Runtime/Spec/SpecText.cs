using System.Buffers;
using System.Text.Json;

namespace Berth.Runtime.Spec;

/// <summary>Edits of config.json (UTF-8) that keep every other byte of each value as it was.</summary>
internal static class SpecText
{
    // SpecJsonContext's leniency: what the runtime accepted, these read too.
    private static readonly JsonReaderOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// config.json as the init receives it, inside its one-line request: one line of strict JSON and, when the runtime
    /// compiled the profile (<paramref name="dropSeccomp"/>), without <c>linux.seccomp</c>. The daemon writes
    /// config.json compact, so that is the file as read, less the profile.
    /// </summary>
    public static byte[] ForInit(byte[] json, bool dropSeccomp)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] trimmed = dropSeccomp ? WithoutSeccomp(json) : json;
        return IsStrictOneLine(trimmed) ? trimmed : Compact(trimmed);
    }

    /// <summary>
    /// The document without <c>linux.seccomp</c>: the init installs the program the runtime compiled and never reads
    /// the profile, which is most of Docker's config.json (parsing it again was a tenth of the init's own work). The
    /// same array when there is no profile to drop.
    /// </summary>
    public static byte[] WithoutSeccomp(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        var reader = new Utf8JsonReader(utf8, Lenient);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return utf8;
        }

        var output = new ArrayBufferWriter<byte>(utf8.Length);
        bool removed = false;
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool linux = reader.ValueTextEquals("linux"u8);
                CopyName(ref reader, writer);
                reader.Read();
                if (linux && reader.TokenType == JsonTokenType.StartObject)
                {
                    writer.WriteStartObject();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("seccomp"u8))
                        {
                            reader.Read();
                            reader.Skip();
                            removed = true;
                            continue;
                        }

                        CopyName(ref reader, writer);
                        reader.Read();
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

        return removed ? output.WrittenSpan.ToArray() : utf8;
    }

    /// <summary>No line break, and JSON a strict reader takes: no comments, no trailing commas.</summary>
    private static bool IsStrictOneLine(byte[] utf8)
    {
        if (utf8.AsSpan().IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The document re-written compact: for a config.json written by hand (indented, commented).</summary>
    private static byte[] Compact(byte[] utf8)
    {
        using JsonDocument document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var output = new ArrayBufferWriter<byte>(utf8.Length);
        using (var writer = new Utf8JsonWriter(output))
        {
            document.WriteTo(writer);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>The property name the reader stands on, unescaped when it has escapes (the writer escapes it again).</summary>
    private static void CopyName(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        if (reader.ValueIsEscaped)
        {
            writer.WritePropertyName(reader.GetString()!);
        }
        else
        {
            writer.WritePropertyName(reader.ValueSpan);
        }
    }

    /// <summary>Copies the value the reader stands on, as its source bytes, and leaves the reader on its last token.</summary>
    private static void CopyValue(ref Utf8JsonReader reader, byte[] source, Utf8JsonWriter writer)
    {
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        writer.WriteRawValue(source.AsSpan(start, (int)reader.BytesConsumed - start), skipInputValidation: true);
    }
}
