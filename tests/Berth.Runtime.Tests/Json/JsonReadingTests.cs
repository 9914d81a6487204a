using System.Text;
using System.Text.Json;
using Berth.Runtime.Json;

namespace Berth.Runtime.Tests.Json;

/// <summary>The reader's primitives give what Utf8JsonReader's own methods give, without their pool rentals.</summary>
public sealed class JsonReadingTests
{
    public static TheoryData<string> Strings() =>
    [
        "",
        "plain",
        "needs \"escaping\" \\ \t\n <&> h\u00e9 \u2028 \U0001F600",
        new string('x', 300),
        string.Concat(Enumerable.Repeat("echo \"a\" && b > /dev/null; ", 40)),
        string.Concat(Enumerable.Repeat("\u00e9\u4e2d", 200)),
    ];

    [Theory]
    [MemberData(nameof(Strings))]
    public void A_string_reads_as_the_reader_reads_it(string value)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, StringContext.Default.String);
        var expected = new Utf8JsonReader(json);
        var reader = new Utf8JsonReader(json);
        expected.Read();
        reader.Read();

        Assert.Equal(expected.GetString(), JsonReading.GetString(ref reader));
        Assert.Equal(value, JsonReading.GetString(ref reader));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(190)]
    [InlineData(4096)]
    public void Base64_reads_as_the_reader_reads_it(int length)
    {
        byte[] bytes = [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7))];
        byte[] json = Encoding.UTF8.GetBytes($"\"{Convert.ToBase64String(bytes)}\"");
        var reader = new Utf8JsonReader(json);
        reader.Read();

        Assert.Equal(bytes, JsonReading.GetBytesFromBase64(ref reader));
    }

    [Fact]
    public void Escaped_base64_is_unescaped_first_as_the_reader_does()
    {
        byte[] json = "\"AQID\\u002B/8=\""u8.ToArray();
        var expected = new Utf8JsonReader(json);
        var reader = new Utf8JsonReader(json);
        expected.Read();
        reader.Read();

        Assert.Equal(expected.GetBytesFromBase64(), JsonReading.GetBytesFromBase64(ref reader));
    }

    [Theory]
    [InlineData("\"AQI\"")]
    [InlineData("\"not base64!\"")]
    [InlineData("1")]
    [InlineData("[]")]
    public void What_the_reader_refuses_as_base64_is_refused(string text)
    {
        byte[] json = Encoding.UTF8.GetBytes(text);

        Assert.ThrowsAny<JsonException>(() => JsonReading.ReadDocument(json, default, static (ref Utf8JsonReader r) => JsonReading.GetBytesFromBase64(ref r)));
        Assert.ThrowsAny<Exception>(() =>
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            return reader.GetBytesFromBase64();
        });
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"x": {"a": [1, {"b": []}], "c": {}}, "y": [[], [[{}]]], "z": 1.5e300, "w": null, "v": true, "keep": "k"}""")]
    public void Unknown_properties_of_any_shape_are_skipped(string json)
    {
        Dictionary<string, string> seen = JsonReading.ReadDocument(Encoding.UTF8.GetBytes(json), default, static (ref Utf8JsonReader reader) =>
            JsonReading.ReadObject<Dictionary<string, string>>(ref reader, static (map, name, ref r) =>
            {
                if (name == "keep")
                {
                    map[name] = JsonReading.GetString(ref r)!;
                }
            })!)!;

        Assert.Equal(json.Contains("keep", StringComparison.Ordinal) ? ["k"] : Array.Empty<string>(), seen.Values);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{} {}")]
    [InlineData("{}x")]
    [InlineData("{},")]
    [InlineData("{} // comment")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{\"a\": \"\\uD800\"}")]
    public void A_document_is_read_strictly(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonReading.ReadDocument(Encoding.UTF8.GetBytes(json), default, static (ref Utf8JsonReader reader) => JsonReading.ReadMap(ref reader)!));
    }

    [Fact]
    public void A_document_may_end_in_a_comment_when_comments_are_skipped()
    {
        var options = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip };

        Assert.Empty(JsonReading.ReadDocument("{} // comment"u8, options, static (ref Utf8JsonReader reader) => JsonReading.ReadMap(ref reader)!)!);
    }

    [Fact]
    public void Long_escaped_strings_and_base64_rent_nothing_from_the_shared_pool()
    {
        string value = string.Concat(Enumerable.Repeat("echo \"a\" && b; ", 40));
        byte[] program = new byte[4096];
        byte[] json = Encoding.UTF8.GetBytes($$"""{"s": {{JsonSerializer.Serialize(value, StringContext.Default.String)}}, "{{new string('n', 300)}}\n": 1, "p": "{{Convert.ToBase64String(program)}}"}""");
        using var rentals = new ArrayPoolRentals();

        var reader = new Utf8JsonReader(json);
        reader.Read();
        string? read = null;
        byte[]? bytes = null;
        JsonReading.ReadProperties(ref reader, 0, (_, name, ref r) =>
        {
            if (name == "s")
            {
                read = JsonReading.GetString(ref r);
            }
            else if (name == "p")
            {
                bytes = JsonReading.GetBytesFromBase64(ref r);
            }
        });

        Assert.Equal(0, rentals.Count);
        Assert.Equal(value, read);
        Assert.Equal(program, bytes);

        // The probe itself works: the reader's own GetString does rent for such a string.
        var direct = new Utf8JsonReader(json);
        while (direct.Read() && direct.TokenType != JsonTokenType.String)
        {
        }

        Assert.Equal(value, direct.GetString());
        Assert.True(rentals.Count > 0);
    }
}
