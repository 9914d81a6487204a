using System.Net.Sockets;

namespace Berth.Client;

/// <summary>
/// A connection taken over after <c>101 UPGRADED</c> (attach, exec start): read the container's output from
/// <see cref="Output"/>, write its stdin to <see cref="Input"/>, and half-close with <see cref="CloseWrite"/> at stdin EOF.
/// </summary>
public sealed class HijackedConnection : IAsyncDisposable, IDisposable
{
    private readonly Socket _socket;
    private readonly Stream _network;

    internal HijackedConnection(Socket socket, Stream network, ReadOnlyMemory<byte> buffered, string contentType)
    {
        _socket = socket;
        _network = network;
        Output = new PrefixedStream(buffered, network);
        ContentType = contentType;
    }

    public Stream Output { get; }

    public Stream Input => _network;

    /// <summary>The response's Content-Type: multiplexed frames, or raw bytes with a TTY.</summary>
    public string ContentType { get; }

    public bool IsMultiplexed => ContentType.Contains("multiplexed", StringComparison.Ordinal);

    public void CloseWrite()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The daemon already closed: nothing left to half-close.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _network.Dispose();
        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
