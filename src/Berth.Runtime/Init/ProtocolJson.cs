using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Init;

/// <summary>
/// The hand-written JSON of the init protocol and of the shim's own side of its protocol, as written (see
/// <see cref="InitRequest"/> for why by hand); <see cref="Json.JsonReading"/> reads it.
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
}
