using System.Buffers;
using System.Buffers.Binary;
using Berth.Api.Streams;

namespace Berth.Daemon.Http;

/// <summary>
/// Writes Docker's multiplexed frames, <c>[stream, 0, 0, 0, size (uint32 BE)] payload</c>, to one output shared by
/// stdout and stderr; frames from concurrent writers never interleave.
/// </summary>
internal sealed class MultiplexedStreamWriter(Stream output) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task WriteFrameAsync(byte stream, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        byte[] frame = ArrayPool<byte>.Shared.Rent(StreamFormats.FrameHeaderSize + payload.Length);
        try
        {
            frame[0] = stream;
            frame[1] = frame[2] = frame[3] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
            payload.Span.CopyTo(frame.AsSpan(StreamFormats.FrameHeaderSize));
            await _lock.WaitAsync(cancellationToken);
            try
            {
                await output.WriteAsync(frame.AsMemory(0, StreamFormats.FrameHeaderSize + payload.Length), cancellationToken);
                await output.FlushAsync(cancellationToken);
            }
            finally
            {
                _lock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>A write-only stream whose every write becomes one frame on <paramref name="stream"/>.</summary>
    public Stream For(byte stream) => new FrameStream(this, stream);

    private sealed class FrameStream(MultiplexedStreamWriter writer, byte stream) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            writer.WriteFrameAsync(stream, buffer.AsMemory(offset, count), CancellationToken.None).GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            writer.WriteFrameAsync(stream, buffer.AsMemory(offset, count), cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(writer.WriteFrameAsync(stream, buffer, cancellationToken));
    }
}
