using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Core.Errors;

namespace Berth.Runtime.Shim;

/// <summary>
/// Messages on the shim socket: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. After an attach
/// reply the connection carries the stream instead (see <see cref="StreamFrame"/>).
/// </summary>
internal static class ShimFraming
{
    public const int HeaderLength = 4;
    public const int MaxPayload = 1 << 20;

    public static byte[] Encode<T>(T value, JsonTypeInfo<T> type) => Frame(JsonSerializer.SerializeToUtf8Bytes(value, type));

    /// <summary>A response, as the shim sends it (by hand; see <see cref="ShimResponse"/>).</summary>
    public static byte[] Encode(ShimResponse response) => Frame(response.ToJson());

    private static byte[] Frame(byte[] json)
    {
        byte[] frame = new byte[HeaderLength + json.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, json.Length);
        json.CopyTo(frame, HeaderLength);
        return frame;
    }

    /// <summary>The payload of the first whole frame in <paramref name="buffer"/>, or false until one has arrived.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> buffer, out int consumed, out ReadOnlySpan<byte> payload)
    {
        consumed = 0;
        payload = default;
        if (buffer.Length < HeaderLength)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadInt32BigEndian(buffer);
        if (length is < 0 or > MaxPayload)
        {
            throw Errors.InvalidArgument($"shim protocol: frame length {length} out of range");
        }

        if (buffer.Length < HeaderLength + length)
        {
            return false;
        }

        payload = buffer.Slice(HeaderLength, length);
        consumed = HeaderLength + length;
        return true;
    }

    /// <summary>
    /// The first whole request in <paramref name="buffer"/>: false until one has arrived; true with a null request
    /// when it is malformed (then everything is consumed: the connection is to be closed).
    /// </summary>
    public static bool TryDecodeSafe(ReadOnlySpan<byte> buffer, out int consumed, out ShimRequest? request)
    {
        request = null;
        try
        {
            if (!TryDecode(buffer, out consumed, out ReadOnlySpan<byte> payload))
            {
                return false;
            }

            request = ShimRequest.Parse(payload);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or BerthException)
        {
            consumed = buffer.Length;
            return true;
        }
    }

    /// <summary>Reads exactly one frame (and nothing after it: an attach stream may follow).</summary>
    public static async Task<T> ReadAsync<T>(Stream stream, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        byte[] header = new byte[HeaderLength];
        await stream.ReadExactlyAsync(header, cancellationToken);
        int length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > MaxPayload)
        {
            throw Errors.InvalidArgument($"shim protocol: frame length {length} out of range");
        }

        byte[] payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return JsonSerializer.Deserialize(payload, type) ?? throw Errors.InvalidArgument("shim protocol: empty message");
    }
}
