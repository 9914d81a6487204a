using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Registry.Auth;

/// <summary>
/// Authorizes requests per host (containerd's docker authorizer): it learns each host's challenge from its first
/// 401, then answers Basic with that host's credential or Bearer with a token fetched from the realm for the
/// request's scope, cached per (host, scope) until it expires; concurrent requests needing the same token share one
/// fetch (a push's parallel layers would otherwise each ask the token server). A token is only ever sent to the host
/// it was issued for, so a redirect to a blob CDN never carries the registry's token.
/// </summary>
internal sealed class RegistryAuthenticator(HttpClient http, IRegistryCredentials? credentials, TimeProvider time)
{
    /// <summary>The distribution token spec's default lifetime when <c>expires_in</c> is absent.</summary>
    internal static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Host, string Scope), (string Token, DateTimeOffset Expires)> _tokens = new();
    private readonly ConcurrentDictionary<(string Host, string Scope), Lazy<Task<string>>> _fetching = new();

    /// <summary>The Authorization for a request to <paramref name="host"/>, or null when none is known to be needed.</summary>
    public async Task<AuthenticationHeaderValue?> AuthorizeAsync(string host, string scope, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(host, out AuthChallenge? challenge))
        {
            return null;
        }

        if (challenge.IsBasic)
        {
            return credentials?.Find(host) is { } credential ? BasicHeader(credential) : null;
        }

        string token = await TokenAsync(host, scope, challenge, cancellationToken);
        return new AuthenticationHeaderValue(AuthChallenge.Bearer, token);
    }

    /// <summary>
    /// Records the challenge of a 401. True when retrying with fresh authorization may succeed: the first 401, or a
    /// Bearer token that was refused (expired or narrower scope). False when the same answer would be refused again.
    /// </summary>
    public bool HandleUnauthorized(string host, string scope, HttpResponseHeaders headers, bool wasAuthorized)
    {
        ArgumentNullException.ThrowIfNull(headers);
        AuthChallenge? challenge = headers.TryGetValues(HeaderNames.WwwAuthenticate, out IEnumerable<string>? values)
            ? AuthChallenge.Select(values)
            : null;
        if (challenge is null || !(challenge.IsBearer || challenge.IsBasic))
        {
            return false;
        }

        _challenges[host] = challenge;
        if (!wasAuthorized)
        {
            // Nothing was refused: a token another request fetched meanwhile is still good.
            return challenge.IsBearer || credentials?.Find(host) is not null;
        }

        _tokens.TryRemove((host, scope), out _);
        return challenge.IsBearer;
    }

    internal static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new(AuthChallenge.Basic, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    private async Task<string> TokenAsync(string host, string scope, AuthChallenge challenge, CancellationToken cancellationToken)
    {
        if (CachedToken(host, scope) is { } cached)
        {
            return cached;
        }

        // The first caller's fetch serves everyone waiting (with its cancellation); it re-checks the cache because a
        // fetch that completed just before this one was registered has already stored its token.
        var key = (host, scope);
        Lazy<Task<string>> fetch = _fetching.GetOrAdd(key, _ => new Lazy<Task<string>>(
            () => CachedToken(host, scope) is { } token ? Task.FromResult(token) : FetchTokenAsync(host, scope, challenge, cancellationToken)));
        try
        {
            return await fetch.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _fetching.TryRemove(new KeyValuePair<(string, string), Lazy<Task<string>>>(key, fetch));
        }
    }

    private string? CachedToken(string host, string scope) =>
        _tokens.TryGetValue((host, scope), out var cached) && cached.Expires > time.GetUtcNow() ? cached.Token : null;

    private async Task<string> FetchTokenAsync(string host, string scope, AuthChallenge challenge, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();

        if (string.IsNullOrEmpty(challenge.Realm) || !Uri.TryCreate(challenge.Realm, UriKind.Absolute, out Uri? realm))
        {
            throw new BerthException(ErrorKind.PermissionDenied, $"{host}: bearer challenge without a valid realm");
        }

        var query = new StringBuilder();
        if (challenge.Service is { Length: > 0 } service)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        foreach (string s in new[] { scope, challenge.Scope }.OfType<string>().Where(s => s.Length > 0).Distinct(StringComparer.Ordinal))
        {
            query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(s));
        }

        var builder = new UriBuilder(realm) { Query = string.IsNullOrEmpty(realm.Query) ? query.ToString() : realm.Query[1..] + "&" + query };
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        RegistryCredential? credential = credentials?.Find(host);
        if (credential is not null)
        {
            request.Headers.Authorization = BasicHeader(credential);
        }

        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            string detail = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? credential is null ? "unauthorized: authentication required" : "unauthorized: incorrect username or password"
                : $"token server answered {(int)response.StatusCode} {response.StatusCode}";
            throw new BerthException(
                response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? ErrorKind.PermissionDenied : ErrorKind.Unavailable,
                $"getting a token from {realm.GetLeftPart(UriPartial.Path)} for {host}: {detail}{(body.Length is > 0 and < 512 ? ": " + body.Trim() : "")}");
        }

        TokenResponse? parsed;
        try
        {
            parsed = await response.Content.ReadFromJsonAsync(RegistryJsonContext.Default.TokenResponse, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new BerthException(ErrorKind.Unavailable, $"token server {realm.Host} answered invalid JSON: {ex.Message}", ex);
        }

        string token = (parsed?.Token is { Length: > 0 } t ? t : parsed?.AccessToken) is { Length: > 0 } found
            ? found
            : throw new BerthException(ErrorKind.Unavailable, $"token server {realm.Host} answered no token");
        TimeSpan lifetime = parsed?.ExpiresIn is int seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
        DateTimeOffset expires = now + (lifetime > 2 * ExpiryMargin ? lifetime - ExpiryMargin : lifetime);
        _tokens[(host, scope)] = (token, expires);
        return token;
    }
}
