using System.Buffers;
using System.Buffers.Binary;
using Berth.Api.Streams;

namespace Berth.Client;

/// <summary>Docker's 8-byte framed stdout/stderr stream (attach, logs, exec without a TTY).</summary>
public static class MultiplexedStream
{
    /// <summary>Copies frames to <paramref name="stdout"/> and <paramref name="stderr"/> until the stream ends.</summary>
    /// <exception cref="BerthClientException">A stream-id 3 frame carried an error, or the stream was cut mid-frame.</exception>
    public static async Task CopyAsync(Stream source, Stream stdout, Stream stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        byte[] header = new byte[StreamFormats.FrameHeaderSize];
        byte[] buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            while (true)
            {
                int got = await source.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
                if (got == 0)
                {
                    return;
                }

                if (got < header.Length)
                {
                    throw new BerthClientException(0, "unexpected end of multiplexed stream");
                }

                byte kind = header[0];
                long remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                var error = kind == StreamFormats.SystemErr ? new MemoryStream() : null;
                Stream target = error ?? (kind == StreamFormats.Stderr ? stderr : stdout);
                while (remaining > 0)
                {
                    int n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                    if (n == 0)
                    {
                        throw new BerthClientException(0, "unexpected end of multiplexed stream");
                    }

                    await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                    remaining -= n;
                }

                await target.FlushAsync(cancellationToken);
                if (error is not null)
                {
                    throw new BerthClientException(500, System.Text.Encoding.UTF8.GetString(error.ToArray()));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
