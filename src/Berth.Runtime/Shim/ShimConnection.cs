using Berth.Linux;

namespace Berth.Runtime.Shim;

/// <summary>A client of the shim socket: first requests, then possibly an attach stream or a pending wait.</summary>
internal sealed class ShimConnection(SafeFd socket) : IDisposable
{
    /// <summary>A client that cannot take output for this long is dropped, so one stuck reader cannot stall the shim.</summary>
    private const int SendTimeoutMs = 10_000;

    private byte[] _input = new byte[4096];

    private readonly SafeFd _socket = Configure(socket);

    public int Fd { get; } = socket.Fd;

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
            int n = FileDescriptors.Read(_socket, _input.AsSpan(InputCount));
            InputCount += n;
            return n > 0;
        }
        catch (LinuxException)
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

        if (UnixSockets.TrySendAll(_socket, data))
        {
            return true;
        }

        Dispose();
        return false;
    }

    public void Dispose()
    {
        if (!Closed)
        {
            Closed = true;
            _socket.Dispose();
        }
    }

    private static SafeFd Configure(SafeFd socket)
    {
        UnixSockets.SetSendTimeout(socket, SendTimeoutMs);
        return socket;
    }
}
