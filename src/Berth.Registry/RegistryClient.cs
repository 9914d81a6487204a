using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Registry.Auth;

namespace Berth.Registry;

/// <summary>
/// An OCI distribution client over one <see cref="HttpClient"/>. HTTPS by default; plain HTTP for registries marked
/// insecure and for loopback (like dockerd). Every request goes through <see cref="SendAsync"/>: per-host
/// authorization (<see cref="RegistryAuthenticator"/>), one re-authorization on 401, redirects followed by hand.
/// </summary>
internal sealed partial class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RegistryClientOptions _options;
    private readonly RegistryAuthenticator _auth;
    private readonly HashSet<string> _insecure;

    public RegistryClient(RegistryClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        _options = options ?? new RegistryClientOptions();
        _http = new HttpClient(handler ?? CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _auth = new RegistryAuthenticator(_http, _options.Credentials, _options.Time);
        _insecure = new HashSet<string>(_options.InsecureRegistries, StringComparer.OrdinalIgnoreCase);
    }

    public static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The base URI of a registry's API: <c>https://host[:port]/v2/</c> (http for insecure or loopback).</summary>
    public Uri BaseUri(string registryHost)
    {
        ArgumentNullException.ThrowIfNull(registryHost);
        return new Uri($"{(IsPlainHttp(registryHost) ? "http" : "https")}://{registryHost}/v2/");
    }

    public bool IsPlainHttp(string registryHost)
    {
        ArgumentNullException.ThrowIfNull(registryHost);
        if (_insecure.Contains(registryHost))
        {
            return true;
        }

        string host = HostWithoutPort(registryHost);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address) &&
               (address.AddressFamily == AddressFamily.InterNetworkV6 || address.GetAddressBytes()[0] == 127);
    }

    /// <summary>The <c>/v2/</c> probe: succeeds when the registry speaks the distribution API and lets us in.</summary>
    public async Task PingAsync(string registryHost, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, BaseUri(registryHost), "", null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrors.FromResponseAsync(response, RegistryErrors.Subject.Other, registryHost, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    internal static string PullScope(string repository) => $"repository:{repository}:pull";

    /// <summary>
    /// Sends a request, authorizing it for the host it goes to and following redirects by hand: each hop is
    /// authorized for its own host (never the registry's token to a CDN), and a 401 is answered once per hop.
    /// The caller disposes the response.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, Uri uri, string scope, Action<HttpRequestHeaders>? headers, CancellationToken cancellationToken,
        Func<HttpContent>? content = null)
    {
        for (int hop = 0; hop <= _options.MaxRedirects; hop++)
        {
            HttpResponseMessage response = await SendAuthorizedAsync(method, uri, scope, headers, content, cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect) || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            {
                throw Errors.Internal($"registry redirected to an unsupported URL scheme: {uri.Scheme}");
            }
        }

        throw new BerthException(ErrorKind.Unavailable, $"too many redirects requesting {uri.GetLeftPart(UriPartial.Path)}");
    }

    private async Task<HttpResponseMessage> SendAuthorizedAsync(
        HttpMethod method, Uri uri, string scope, Action<HttpRequestHeaders>? headers, Func<HttpContent>? content,
        CancellationToken cancellationToken)
    {
        string host = uri.Authority;
        bool reauthorized = false;
        bool retryable = method == HttpMethod.Get || method == HttpMethod.Head;
        for (int failures = 0; ;)
        {
            // A body is made afresh per attempt: a 401 answered with new authorization resends it.
            using var request = new HttpRequestMessage(method, uri) { Content = content?.Invoke() };
            headers?.Invoke(request.Headers);
            request.Headers.Authorization = await _auth.AuthorizeAsync(host, scope, cancellationToken);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                if (retryable && ++failures < _options.MaxAttempts)
                {
                    await Task.Delay(RetryDelay(failures), _options.Time, cancellationToken);
                    continue;
                }

                throw new BerthException(ErrorKind.Unavailable, $"{method} {uri.GetLeftPart(UriPartial.Path)}: {ex.Message}", ex);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !reauthorized &&
                _auth.HandleUnauthorized(host, scope, response.Headers, request.Headers.Authorization is not null))
            {
                reauthorized = true;
                response.Dispose();
                continue;
            }

            if (retryable && IsTransient(response.StatusCode) && ++failures < _options.MaxAttempts)
            {
                TimeSpan delay = response.Headers.RetryAfter?.Delta is { } after && after < TimeSpan.FromSeconds(30)
                    ? after
                    : RetryDelay(failures);
                response.Dispose();
                await Task.Delay(delay, _options.Time, cancellationToken);
                continue;
            }

            return response;
        }
    }

    /// <summary>Server overload and gateway trouble: worth another try; other errors answer the same again.</summary>
    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Exponential backoff from <see cref="RegistryClientOptions.RetryBaseDelay"/>, doubling per failure.</summary>
    internal TimeSpan RetryDelay(int failures) => _options.RetryBaseDelay * (1 << Math.Min(failures - 1, 6));

    private static string HostWithoutPort(string registryHost)
    {
        if (registryHost.StartsWith('['))
        {
            int close = registryHost.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? registryHost[1..close] : registryHost;
        }

        int colon = registryHost.LastIndexOf(':');
        return colon >= 0 ? registryHost[..colon] : registryHost;
    }
}
