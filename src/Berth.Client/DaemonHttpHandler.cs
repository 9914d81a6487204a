using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Client;

/// <summary>
/// HTTP/1.1 to the daemon, written here rather than through SocketsHttpHandler: a CLI command makes two or three small
/// requests on one connection and exits, and SocketsHttpHandler's machinery (connection pool on the thread pool, its
/// type initializers) was a third of `berth run`'s CPU. Requests go out with Content-Length or chunked; responses are
/// read with Content-Length, chunked, or to the close; an idle connection is reused for the next request.
/// </summary>
internal sealed class DaemonHttpHandler(Func<CancellationToken, Task<Socket>> connect, Func<BlockingConnection?> connectBlocking) : HttpMessageHandler
{
    /// <summary>
    /// Set on a request that may be made, with the reading of its whole response, on a blocking connection (see
    /// <see cref="BerthClient.ConnectBlocking"/>), when there is a way to open one and its body is already in memory
    /// (written without the content's asynchronous serialization).
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> Blocking = new("Berth.Client.Blocking");

    private readonly Stack<DaemonConnection> _idle = new();
    private readonly Stack<DaemonConnection> _idleBlocking = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] head = RequestHead(request);
        bool blocking = request.Options.TryGetValue(Blocking, out bool asked) && asked && request.Content is null or ByteArrayContent;
        while (true)
        {
            DaemonConnection? reused = TakeIdle(blocking);
            DaemonConnection connection = reused
                ?? (blocking && connectBlocking() is { } opened ? new DaemonConnection(opened) : new DaemonConnection(await connect(cancellationToken)));
            HttpResponseHead response;
            try
            {
                response = await connection.ExchangeAsync(
                    async (c, token) =>
                    {
                        await c.WriteAsync(head, token);
                        await WriteContentAsync(c, request.Content, token);
                    },
                    cancellationToken);
            }
            catch (Exception ex) when (reused is not null && ex is (IOException or SocketException or BerthClientException) && connection.Buffered.IsEmpty)
            {
                // The daemon closed this idle connection before our request reached it: send it on a new one.
                connection.Dispose();
                continue;
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            return ToMessage(request, response, connection);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_idle)
            {
                foreach (DaemonConnection connection in _idle.Concat(_idleBlocking))
                {
                    connection.Dispose();
                }

                _idle.Clear();
                _idleBlocking.Clear();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The request line and headers, as this handler sends them (the hijack writes its upgrade request with it too).</summary>
    internal static byte[] RequestHead(HttpRequestMessage request)
    {
        Uri uri = request.RequestUri ?? throw new InvalidOperationException("a request needs a URI");
        var text = new StringBuilder(256)
            .Append(request.Method.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(uri.Authority).Append("\r\n");
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            AppendHeader(text, name, values.ToString());
        }

        if (request.Content is { } content)
        {
            foreach (var (name, values) in content.Headers.NonValidated)
            {
                if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    AppendHeader(text, name, values.ToString());
                }
            }

            // Computing the length also fills in the Content-Length header of content that knows it.
            if (content.Headers.ContentLength is { } length)
            {
                AppendHeader(text, "Content-Length", length.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                AppendHeader(text, "Transfer-Encoding", "chunked");
            }
        }
        else if (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put)
        {
            AppendHeader(text, "Content-Length", "0");
        }

        return Encoding.ASCII.GetBytes(text.Append("\r\n").ToString());
    }

    private static void AppendHeader(StringBuilder text, string name, string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"HTTP header {name} holds a line break");
        }

        text.Append(name).Append(": ").Append(value).Append("\r\n");
    }

    private static async Task WriteContentAsync(DaemonConnection connection, HttpContent? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return;
        }

        if (connection.Blocking)
        {
            content.CopyTo(connection.Stream, context: null, cancellationToken);
            return;
        }

        if (content.Headers.ContentLength is not null)
        {
            await content.CopyToAsync(connection.Stream, cancellationToken);
            return;
        }

        await using (var chunked = new ChunkedRequestStream(connection.Stream))
        {
            await content.CopyToAsync(chunked, cancellationToken);
        }
    }

    private HttpResponseMessage ToMessage(HttpRequestMessage request, HttpResponseHead head, DaemonConnection connection)
    {
        bool noBody = request.Method == HttpMethod.Head || head.Status is 204 or 304 || head.Status < 200;
        bool reusable = !connection.WriteFailed && head["connection"]?.Equals("close", StringComparison.OrdinalIgnoreCase) != true;
        var body = new ResponseBodyStream(connection, noBody ? 0 : head.ContentLength, !noBody && head.IsChunked, reusable ? Release : null);
        var message = new HttpResponseMessage((HttpStatusCode)head.Status)
        {
            ReasonPhrase = head.Reason,
            RequestMessage = request,
            Content = new StreamContent(body),
        };
        foreach (var (name, value) in head.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private DaemonConnection? TakeIdle(bool blocking)
    {
        lock (_idle)
        {
            return (blocking ? _idleBlocking : _idle).TryPop(out DaemonConnection? connection) ? connection : null;
        }
    }

    private void Release(DaemonConnection connection)
    {
        lock (_idle)
        {
            (connection.Blocking ? _idleBlocking : _idle).Push(connection);
        }
    }
}
