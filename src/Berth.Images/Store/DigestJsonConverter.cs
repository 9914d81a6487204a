using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Core.Content;

namespace Berth.Images.Store;

/// <summary>Digests as their <c>algorithm:hex</c> string.</summary>
internal sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Digest.TryParse(reader.GetString(), out Digest digest, out string? error) ? digest : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
