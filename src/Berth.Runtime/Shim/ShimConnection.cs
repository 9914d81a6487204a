using System.Net.Sockets;

namespace Berth.Runtime.Shim;

/// <summary>A client of the shim socket: first requests, then possibly an attach stream or a pending wait.</summary>
internal sealed class ShimConnection(Socket socket) : IDisposable
{
    /// <summary>A client that cannot take output for this long is dropped, so one stuck reader cannot stall the shim.</summary>
    private const int SendTimeoutMs = 10_000;

    private byte[] _input = new byte[4096];

    public Socket Socket { get; } = Configure(socket);

    public int Fd { get; } = (int)socket.Handle;

    public int InputCount { get; set; }

    public Span<byte> Input => _input.AsSpan(0, InputCount);

    /// <summary>The process whose streams this connection carries, once attached.</summary>
    public ShimSession? Attached { get; set; }

    public bool WantsStdin { get; set; }

    public bool WantsStdout { get; set; }

    public bool WantsStderr { get; set; }

    public bool CloseStdinOnEof { get; set; }

    /// <summary>The client has sent all it will (EOF), or we stopped reading it.</summary>
    public bool InputClosed { get; set; }

    public bool Closed { get; private set; }

    /// <summary>Reads what is ready into the input buffer; false at end of input or on error.</summary>
    public bool ReadAvailable()
    {
        if (InputCount == _input.Length)
        {
            Array.Resize(ref _input, _input.Length * 2);
        }

        try
        {
            int n = Socket.Receive(_input, InputCount, _input.Length - InputCount, SocketFlags.None);
            InputCount += n;
            return n > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Consume(int count)
    {
        _input.AsSpan(count, InputCount - count).CopyTo(_input);
        InputCount -= count;
    }

    /// <summary>Sends everything or closes the connection.</summary>
    public bool Send(ReadOnlySpan<byte> data)
    {
        if (Closed)
        {
            return false;
        }

        try
        {
            while (!data.IsEmpty)
            {
                int n = Socket.Send(data, SocketFlags.None);
                data = data[n..];
            }

            return true;
        }
        catch (SocketException)
        {
            Dispose();
            return false;
        }
    }

    public void Dispose()
    {
        if (!Closed)
        {
            Closed = true;
            Socket.Dispose();
        }
    }

    private static Socket Configure(Socket socket)
    {
        socket.Blocking = true;
        socket.SendTimeout = SendTimeoutMs;
        return socket;
    }
}
