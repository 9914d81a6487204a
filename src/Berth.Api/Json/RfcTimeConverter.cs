using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api.Json;

/// <summary>
/// Timestamps as Go writes them (RFC 3339 with up to nine fraction digits, trailing zeros trimmed, UTC as "Z"); the
/// zero time is <c>0001-01-01T00:00:00Z</c>, which Docker shows for "never" (FinishedAt of a running container).
/// </summary>
public sealed class RfcTimeConverter : JsonConverter<DateTimeOffset>
{
    public static string Format(DateTimeOffset value)
    {
        DateTime utc = value.UtcDateTime;
        var text = new StringBuilder(utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        long fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            text.Append('.').Append(fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0'));
        }

        return text.Append('Z').ToString();
    }

    public static DateTimeOffset Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);

        // .NET keeps seven fraction digits; Go writes up to nine, so drop the nanoseconds it cannot hold.
        int dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < value.Length && char.IsAsciiDigit(value[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                value = string.Concat(value.AsSpan(0, dot + 8), value.AsSpan(end));
            }
        }

        return DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return default;
        }

        try
        {
            return Parse(text);
        }
        catch (FormatException ex)
        {
            throw new JsonException($"invalid timestamp \"{text}\"", ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }
}
