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
/// Docker Engine API client over a Unix socket or TCP. The API version is negotiated on first use from
/// <c>/_ping</c>'s <c>Api-Version</c> header: min(server, <see cref="ApiVersions.Maximum"/>).
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
        _http = new HttpClient(new DaemonHttpHandler(ConnectAsync)) { BaseAddress = new Uri("http://api.moby.localhost/"), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Berth-Client/" + ApiVersions.EquivalentEngine);
    }

    public EngineHost Host { get; }

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

    private BerthClientException CannotConnect(Exception inner) =>
        new(0, $"Cannot connect to the Berth daemon at {Host.Uri}. Is the berth daemon running?", inner);

    private async Task<string> PathAsync(string path, CancellationToken cancellationToken) =>
        $"v{await NegotiateAsync(cancellationToken)}/{path.TrimStart('/')}";

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
        using var request = new HttpRequestMessage(method, await PathAsync(path, cancellationToken)) { Content = content };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
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

    internal async Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> resultType, HttpContent? content = null, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(method, path, content, cancellationToken);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(body, resultType, cancellationToken)
            ?? throw new BerthClientException((int)response.StatusCode, $"empty response from {path}");
    }

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
    internal async Task<HijackedConnection> HijackAsync(string path, byte[]? jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_http.BaseAddress!, await PathAsync(path, cancellationToken)))
        {
            Content = new ByteArrayContent(jsonBody ?? []) { Headers = { ContentType = new MediaTypeHeaderValue(jsonBody is null ? "text/plain" : "application/json") } },
        };
        foreach (ProductInfoHeaderValue product in _http.DefaultRequestHeaders.UserAgent)
        {
            request.Headers.UserAgent.Add(product);
        }

        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("tcp"));
        var connection = new DaemonConnection(await ConnectAsync(cancellationToken));
        try
        {
            await connection.Stream.WriteAsync(DaemonHttpHandler.RequestHead(request), cancellationToken);
            await connection.Stream.WriteAsync(jsonBody ?? [], cancellationToken);

            HttpResponseHead response = await connection.ReadHeadAsync(cancellationToken);
            if (response.Status is not (101 or 200))
            {
                await using var body = new ResponseBodyStream(connection, response.ContentLength, response.IsChunked, release: null);
                string text = await new StreamReader(body, Encoding.UTF8).ReadToEndAsync(cancellationToken);
                throw new BerthClientException(response.Status, ErrorMessage(text, (HttpStatusCode)response.Status));
            }

            return new HijackedConnection(connection.Socket, connection.Stream, connection.Buffered.ToArray(),
                response["content-type"] ?? Api.Streams.StreamFormats.Raw);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
