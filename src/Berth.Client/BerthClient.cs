using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Api;
using Berth.Api.Json;

namespace Berth.Client;

/// <summary>
/// Docker Engine API client over a Unix socket or TCP. The API version is min(server, <see cref="ApiVersions.Maximum"/>):
/// a request whose body can be sent twice goes out at once with our maximum, and only a daemon that refuses it as too
/// new costs a <c>/_ping</c> (its <c>Api-Version</c> header) and a resend; other requests negotiate first.
/// </summary>
public sealed partial class BerthClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _negotiation = new(1, 1);
    private string? _version;

    public BerthClient(EngineHost host, string? apiVersion = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
        _version = apiVersion;
        _http = new HttpClient(new DaemonHttpHandler(ConnectAsync, OpenBlocking)) { BaseAddress = new Uri("http://api.moby.localhost/"), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Berth-Client/" + ApiVersions.EquivalentEngine);
    }

    public EngineHost Host { get; }

    /// <summary>
    /// Opens a blocking connection to a Unix socket path, when the caller has one (the CLI's is plain system calls).
    /// Requests answered at once (a body in memory, an answer read whole, no wait on a container) then run on such
    /// connections on the caller's thread: a command-line client that makes one call after another never starts the
    /// runtime's socket event threads, whose start was a sixth of a short command's CPU. A caller whose calls must
    /// overlap leaves it unset. Cancellation still works: it shuts the connection down under the blocked call.
    /// </summary>
    public Func<string, BlockingConnection>? ConnectBlocking { get; init; }

    /// <summary>The negotiated API version, once a call has been made.</summary>
    public string? ApiVersion => _version;

    public void Dispose()
    {
        _http.Dispose();
        _negotiation.Dispose();
    }

    /// <summary>GET /_ping; returns the server's API version header (or null when it sends none).</summary>
    public async Task<string?> PingAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "_ping");
        using HttpResponseMessage response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return response.Headers.TryGetValues("Api-Version", out var values) ? values.FirstOrDefault() : null;
    }

    /// <summary>Negotiates (once) and returns the API version used in request paths.</summary>
    public async Task<string> NegotiateAsync(CancellationToken cancellationToken = default)
    {
        if (_version is not null)
        {
            return _version;
        }

        await _negotiation.WaitAsync(cancellationToken);
        try
        {
            _version ??= ChooseVersion(await PingAsync(cancellationToken));
            return _version;
        }
        finally
        {
            _negotiation.Release();
        }
    }

    /// <summary>min(server, client maximum); a server too old or silent gets the oldest version we speak.</summary>
    public static string ChooseVersion(string? serverVersion)
    {
        if (string.IsNullOrEmpty(serverVersion) || !Version.TryParse(serverVersion, out Version? server))
        {
            return ApiVersions.Minimum;
        }

        var max = Version.Parse(ApiVersions.Maximum);
        return server < max ? serverVersion : ApiVersions.Maximum;
    }

    internal async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        Socket socket = Host.SocketPath is { } path
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (Host.SocketPath is { } socketPath)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            }
            else
            {
                socket.NoDelay = true;
                await socket.ConnectAsync(Host.HostName!, Host.Port, cancellationToken);
            }

            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw CannotConnect(ex);
        }
    }

    private BlockingConnection? OpenBlocking()
    {
        if (Host.SocketPath is not { } path || ConnectBlocking is not { } open)
        {
            return null;
        }

        try
        {
            return open(path);
        }
        catch (IOException ex)
        {
            throw CannotConnect(ex);
        }
    }

    private BerthClientException CannotConnect(Exception inner) =>
        new(0, $"Cannot connect to the Berth daemon at {Host.Uri}. Is the berth daemon running?", inner);

    private static string Versioned(string version, string path) => $"v{version}/{path.TrimStart('/')}";

    /// <summary>
    /// Runs a request with the version known, or optimistically with our maximum when <paramref name="replayable"/>;
    /// a daemon older than that answers 400 "client version … is too new", and the request is made again once the
    /// version is negotiated.
    /// </summary>
    private async Task<T> WithVersionAsync<T>(bool replayable, Func<string, Task<T>> send, CancellationToken cancellationToken)
    {
        if (_version is not null || !replayable)
        {
            return await send(_version ?? await NegotiateAsync(cancellationToken));
        }

        try
        {
            T result = await send(ApiVersions.Maximum);
            _version ??= ApiVersions.Maximum;
            return result;
        }
        catch (BerthClientException ex) when (IsVersionTooNew(ex))
        {
            return await send(await NegotiateAsync(cancellationToken));
        }
    }

    private static bool IsVersionTooNew(BerthClientException ex) =>
        ex.StatusCode == (int)HttpStatusCode.BadRequest
        && ex.Message.StartsWith("client version ", StringComparison.Ordinal) && ex.Message.Contains(" is too new", StringComparison.Ordinal);

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is BerthClientException inner)
        {
            throw inner;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw CannotConnect(ex);
        }
    }

    /// <summary>Sends a versioned request; non-2xx answers become <see cref="BerthClientException"/> with the daemon's message.</summary>
    internal Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, stream: false, headers: null, cancellationToken);

    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, bool stream,
        IEnumerable<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        using (content)
        {
            return await WithVersionAsync(content is null or ByteArrayContent,
                version => SendVersionedAsync(method, Versioned(version, path), content, stream, headers, cancellationToken), cancellationToken);
        }
    }

    /// <summary>One attempt; the request does not own <paramref name="content"/>, which a retry sends again.</summary>
    private async Task<HttpResponseMessage> SendVersionedAsync(HttpMethod method, string path, HttpContent? content, bool stream,
        IEnumerable<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (!stream)
        {
            request.Options.Set(DaemonHttpHandler.Blocking, true);
        }

        HttpResponseMessage response = await SendRawAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    internal Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> resultType, HttpContent? content = null, CancellationToken cancellationToken = default) =>
        ReadJsonAsync(SendAsync(method, path, content, cancellationToken), path, resultType, cancellationToken);

    /// <summary><see cref="SendAsync{T}"/> for the replies <see cref="ReplyReader"/> reads by hand.</summary>
    internal Task<T> SendAsync<T>(HttpMethod method, string path, Func<byte[], T?> read, HttpContent? content, CancellationToken cancellationToken) =>
        ReadReplyAsync(SendAsync(method, path, content, cancellationToken), path, read, cancellationToken);

    /// <summary>A request the daemon answers when something happens (a wait): always awaited, never a blocking call.</summary>
    internal Task<T> LongPollAsync<T>(HttpMethod method, string path, Func<byte[], T?> read, CancellationToken cancellationToken) =>
        ReadReplyAsync(SendAsync(method, path, null, stream: true, headers: null, cancellationToken), path, read, cancellationToken);

    private static async Task<T> ReadReplyAsync<T>(Task<HttpResponseMessage> sending, string path, Func<byte[], T?> read, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await sending;
        return read(await response.Content.ReadAsByteArrayAsync(cancellationToken)) ?? throw EmptyReply(response, path);
    }

    private static async Task<T> ReadJsonAsync<T>(Task<HttpResponseMessage> sending, string path, JsonTypeInfo<T> resultType, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await sending;
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(body, resultType, cancellationToken) ?? throw EmptyReply(response, path);
    }

    private static BerthClientException EmptyReply(HttpResponseMessage response, string path) => new((int)response.StatusCode, $"empty response from {path}");

    internal async Task SendNoContentAsync(HttpMethod method, string path, HttpContent? content = null, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(method, path, content, cancellationToken);
    }

    /// <summary>A JSON body with Content-Length (as docker's client sends it), not chunked.</summary>
    internal static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> typeInfo) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return;
        }

        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new BerthClientException((int)response.StatusCode, ErrorMessage(body, response.StatusCode));
    }

    internal static string ErrorMessage(string body, HttpStatusCode status)
    {
        try
        {
            if (JsonSerializer.Deserialize(body, ApiJsonContext.Default.ErrorResponse) is { Message.Length: > 0 } error)
            {
                return error.Message;
            }
        }
        catch (JsonException)
        {
            // Not Docker's {"message"} shape: show the body as it is, like docker does.
        }

        body = body.Trim();
        return body.Length > 0 ? body : $"{(int)status} {status}";
    }

    internal static string Query(params (string Name, string? Value)[] parameters)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            sb.Append(sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return sb.ToString();
    }

    internal static string? Flag(bool value) => value ? "1" : null;

    internal static string Escape(string segment) => Uri.EscapeDataString(segment);

    internal static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Sends a request on a raw connection with <c>Upgrade: tcp</c>, expects 101 (or 200 from old daemons) and hands
    /// over the socket. HttpClient cannot give the connection back after an upgrade, so this writes HTTP/1.1 itself.
    /// </summary>
    internal Task<HijackedConnection> HijackAsync(string path, byte[]? jsonBody, CancellationToken cancellationToken) =>
        WithVersionAsync(replayable: true, version => HijackVersionedAsync(Versioned(version, path), jsonBody, cancellationToken), cancellationToken);

    private async Task<HijackedConnection> HijackVersionedAsync(string path, byte[]? jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_http.BaseAddress!, path))
        {
            Content = new ByteArrayContent(jsonBody ?? []) { Headers = { ContentType = new MediaTypeHeaderValue(jsonBody is null ? "text/plain" : "application/json") } },
        };
        foreach (ProductInfoHeaderValue product in _http.DefaultRequestHeaders.UserAgent)
        {
            request.Headers.UserAgent.Add(product);
        }

        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("tcp"));
        Socket socket = await ConnectAsync(cancellationToken);
        var connection = new DaemonConnection(socket);
        try
        {
            byte[] head = DaemonHttpHandler.RequestHead(request);
            byte[] message = jsonBody is null ? head : [.. head, .. jsonBody];
            HttpResponseHead response = await connection.ExchangeAsync((c, token) => c.WriteAsync(message, token).AsTask(), cancellationToken);
            if (response.Status is not (101 or 200))
            {
                await using var body = new ResponseBodyStream(connection, response.ContentLength, response.IsChunked, release: null);
                string text = await new StreamReader(body, Encoding.UTF8).ReadToEndAsync(cancellationToken);
                throw new BerthClientException(response.Status, ErrorMessage(text, (HttpStatusCode)response.Status));
            }

            return new HijackedConnection(socket, connection.Stream, connection.Buffered.ToArray(),
                response["content-type"] ?? Api.Streams.StreamFormats.Raw);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
