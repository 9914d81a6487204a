using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Text;

namespace Berth.Client;

/// <summary>
/// One HTTP/1.1 connection to the daemon with its read buffer: bytes read past a response head stay here for the body
/// (or for a hijacked stream) to consume. Either a socket used asynchronously, or a <see cref="BlockingConnection"/>
/// whose every read and write blocks the caller.
/// </summary>
internal sealed class DaemonConnection : IDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly BlockingConnection? _blocking;
    private int _start;
    private int _end;

    public DaemonConnection(Socket socket) => Stream = new NetworkStream(socket, ownsSocket: true);

    public DaemonConnection(BlockingConnection blocking)
    {
        _blocking = blocking;
        Stream = blocking.Stream;
    }

    public Stream Stream { get; }

    public bool Blocking => _blocking is not null;

    /// <summary>True once a request could not be written whole: the daemon's answer may still be read, but no other request.</summary>
    public bool WriteFailed { get; private set; }

    /// <summary>Bytes read from the socket and not consumed yet.</summary>
    public ReadOnlyMemory<byte> Buffered => _buffer.AsMemory(_start, _end - _start);

    public void Dispose() => Stream.Dispose();

    /// <summary>
    /// Writes a request and reads the head of its response. A daemon may answer and close before it has read the whole
    /// request (a refusal needs no body), so a write that fails still looks for that answer before giving up.
    /// </summary>
    public async Task<HttpResponseHead> ExchangeAsync(Func<DaemonConnection, CancellationToken, Task> writeRequest, CancellationToken cancellationToken)
    {
        try
        {
            await writeRequest(this, cancellationToken);
        }
        catch (Exception writeError) when (writeError is IOException or SocketException or HttpRequestException { InnerException: IOException })
        {
            // HttpContent wraps what its copy to the socket threw.
            WriteFailed = true;
            try
            {
                return await ReadHeadAsync(cancellationToken);
            }
            catch (Exception readError) when (readError is IOException or SocketException or BerthClientException)
            {
                ExceptionDispatchInfo.Throw(writeError);
                throw;
            }
        }

        return await ReadHeadAsync(cancellationToken);
    }

    /// <summary>Reads a status line and headers (see <see cref="HttpResponseHead"/>); the bytes after them stay buffered.</summary>
    public async Task<HttpResponseHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int end = Buffered.Span.IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                HttpResponseHead head = HttpResponseHead.Parse(Encoding.ASCII.GetString(_buffer, _start, end));
                _start += end + 4;
                return head;
            }

            if (!await FillAsync(cancellationToken))
            {
                throw new BerthClientException(0, _end == _start ? "the daemon closed the connection before responding" : "connection closed in the HTTP response headers");
            }
        }
    }

    /// <summary>Reads one CRLF-terminated line (chunk sizes and trailers), without the CRLF.</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int end = Buffered.Span.IndexOf("\r\n"u8);
            if (end >= 0)
            {
                string line = Encoding.ASCII.GetString(_buffer, _start, end);
                _start += end + 2;
                return line;
            }

            if (!await FillAsync(cancellationToken))
            {
                throw new IOException("the daemon closed the connection in the middle of a chunked response");
            }
        }
    }

    /// <summary>Buffered bytes first, then the socket; 0 only at end of stream.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_end > _start)
        {
            int n = Math.Min(destination.Length, _end - _start);
            _buffer.AsMemory(_start, n).CopyTo(destination);
            _start += n;
            return n;
        }

        return await ReceiveAsync(destination, cancellationToken);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        if (!Blocking)
        {
            await Stream.WriteAsync(source, cancellationToken);
            return;
        }

        using (WhileBlocked(cancellationToken))
        {
            Stream.Write(source.Span);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>True when at least one more byte arrived; compacts the buffer first.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new BerthClientException(0, "HTTP response headers too large");
        }

        int n = await ReceiveAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += n;
        return n > 0;
    }

    private async ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (!Blocking)
        {
            return await Stream.ReadAsync(destination, cancellationToken);
        }

        int n;
        using (WhileBlocked(cancellationToken))
        {
            n = Stream.Read(destination.Span);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return n;
    }

    /// <summary>A blocked call cannot see a cancellation: shutting the connection down under it ends the call.</summary>
    private CancellationTokenRegistration WhileBlocked(CancellationToken cancellationToken) =>
        cancellationToken.UnsafeRegister(static state => ((BlockingConnection)state!).Shutdown(), _blocking);
}
