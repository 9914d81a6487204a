using System.Buffers.Binary;

namespace Berth.Runtime.Shim;

/// <summary>
/// Docker's multiplexed attach/logs framing for a process without a tty: an 8-byte header
/// [stream type, 0, 0, 0, big-endian uint32 length] then the bytes. With a tty the stream is raw.
/// </summary>
public static class StreamFrame
{
    public const int HeaderLength = 8;
    public const byte Stdin = 0, Stdout = 1, Stderr = 2;

    public static void WriteHeader(Span<byte> header, byte stream, int length)
    {
        header[0] = stream;
        header[1] = header[2] = header[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)length);
    }

    /// <summary>Reads a header: the stream type and the payload length, or false when it is not a frame header.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out byte stream, out int length)
    {
        stream = header[0];
        length = (int)BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        return header.Length >= HeaderLength && stream <= Stderr && header[1] == 0 && header[2] == 0 && header[3] == 0 && length >= 0;
    }
}
