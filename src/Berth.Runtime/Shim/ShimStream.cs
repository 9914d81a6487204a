using System.Net.Sockets;

namespace Berth.Runtime.Shim;

/// <summary>
/// An attach stream: writes go to the process's stdin, reads carry its output (raw with a tty, Docker's 8-byte
/// multiplexed frames without) until it exits. <see cref="CompleteWrites"/> ends the input (stdin EOF when asked).
/// </summary>
public sealed class ShimStream(Socket socket, ShimState state) : Stream
{
    private readonly NetworkStream _inner = new(socket, ownsSocket: true);

    /// <summary>The process's state when the stream was opened (its tty flag says how to read the stream).</summary>
    public ShimState State { get; } = state;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Half-closes the connection: the shim sees the end of this client's input.</summary>
    public void CompleteWrites() => socket.Shutdown(SocketShutdown.Send);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
