using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Berth.Testing.Registry;

/// <summary>
/// A Docker token service (distribution's token auth spec, the shape of auth.docker.io) on 127.0.0.1 for a real
/// <see cref="Engines.LocalRegistry"/> to trust: <c>GET /token?service=…&amp;scope=repository:NAME:ACTIONS</c>, optionally
/// with Basic credentials, answers a JWT signed RS256 by a key made here, its self-signed certificate in the
/// header's <c>x5c</c> and in <see cref="RootCertBundle"/> (the registry's <c>rootcertbundle</c>).
/// Policy: <see cref="Username"/>/<see cref="Password"/> get pull and push on every repository; anonymous requests
/// get pull only (a public registry's anonymous pull), or nothing when <c>anonymousPull</c> is false; a wrong
/// password is refused with 401 "incorrect username or password". Each token grants the intersection of what was
/// asked and what is allowed. Dispose stops the listener and removes the certificate file.
/// </summary>
public sealed class TestTokenService : IDisposable
{
    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly bool _anonymousPull;
    private readonly ConcurrentQueue<TokenRequestRecord> _requests = new();
    private readonly string _dir;
    private int _staleTokens;

    public TestTokenService(string username, string password, bool anonymousPull = true, TimeSpan? tokenLifetime = null)
    {
        Username = username;
        Password = password;
        _anonymousPull = anonymousPull;
        TokenLifetime = tokenLifetime ?? TimeSpan.FromMinutes(5);
        var request = new CertificateRequest($"CN={Issuer}", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        _certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        _dir = Directory.CreateTempSubdirectory("berth-token-service-").FullName;
        RootCertBundle = Path.Combine(_dir, "root.pem");
        File.WriteAllText(RootCertBundle, _certificate.ExportCertificatePem() + "\n");
        Port = LoopbackHttpListener.Start(_listener);
        _ = LoopbackHttpListener.ServeAsync(_listener, HandleAsync, _stop.Token);
    }

    /// <summary>The <c>iss</c> of every token, the registry's <c>issuer</c>.</summary>
    public string Issuer { get; } = "berth-test-token-service";

    /// <summary>The <c>aud</c> of every token, the registry's <c>service</c>.</summary>
    public string Service { get; } = "berth-test-registry";

    public string Username { get; }

    public string Password { get; }

    public TimeSpan TokenLifetime { get; }

    public int Port { get; }

    /// <summary>Where registries are sent for tokens (their challenge's <c>realm</c>).</summary>
    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// <summary>A PEM file with the signing certificate.</summary>
    public string RootCertBundle { get; }

    /// <summary>The top-level <c>auth:</c> section that makes a <see cref="Engines.LocalRegistry"/> trust this service.</summary>
    public string RegistryConfig =>
        $"auth:\n  token:\n    realm: {Realm}\n    service: {Service}\n    issuer: {Issuer}\n    rootcertbundle: {RootCertBundle}\n";

    /// <summary>Every request to the realm, in order.</summary>
    public IReadOnlyList<TokenRequestRecord> Requests => [.. _requests];

    /// <summary>
    /// Makes the next <paramref name="count"/> tokens stale: their <c>exp</c> is already past (beyond the registry's
    /// leeway) while <c>expires_in</c> still promises the full lifetime — a token the client believes good and the
    /// registry refuses, as after a revocation or clock skew.
    /// </summary>
    public void IssueStaleTokens(int count) => Interlocked.Exchange(ref _staleTokens, count);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
        _certificate.Dispose();
        _key.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        string[] scopes = [.. (request.QueryString.GetValues("scope") ?? [])
            .SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        string? authorization = request.Headers["Authorization"];
        string? account = null;
        if (authorization is not null)
        {
            (string user, string password)? basic = ParseBasic(authorization);
            if (basic is null || basic.Value.user != Username || basic.Value.password != Password)
            {
                _requests.Enqueue(new TokenRequestRecord(basic?.user, scopes, [], 401));
                await LoopbackHttpListener.WriteJsonAsync(context.Response, 401, """{"details":"incorrect username or password"}""");
                return;
            }

            account = basic.Value.user;
        }

        if (request.Url!.AbsolutePath != "/token" || request.QueryString["service"] != Service)
        {
            _requests.Enqueue(new TokenRequestRecord(account, scopes, [], 400));
            await LoopbackHttpListener.WriteJsonAsync(context.Response, 400, """{"details":"unknown service or path"}""");
            return;
        }

        string[] allowed = account is not null ? ["pull", "push"] : _anonymousPull ? ["pull"] : [];
        List<TokenAccess> granted = Grant(scopes, allowed);
        _requests.Enqueue(new TokenRequestRecord(account, scopes, granted, 200));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        bool stale = Interlocked.Decrement(ref _staleTokens) >= 0;
        DateTimeOffset expires = stale ? now - 2 * Leeway - TimeSpan.FromSeconds(1) : now + TokenLifetime;
        string token = Sign(account ?? "", granted, now, expires);
        await LoopbackHttpListener.WriteJsonAsync(context.Response, 200, TokenResponse(token, now));
    }

    /// <summary>Per <c>repository:NAME:a,b</c> scope, the asked actions that are allowed; other resource types get nothing.</summary>
    private static List<TokenAccess> Grant(IEnumerable<string> scopes, string[] allowed)
    {
        var granted = new List<TokenAccess>();
        foreach (string scope in scopes)
        {
            int first = scope.IndexOf(':', StringComparison.Ordinal);
            int last = scope.LastIndexOf(':');
            if (first <= 0 || last <= first)
            {
                continue;
            }

            string type = scope[..first];
            string[] actions = [.. scope[(last + 1)..].Split(',').Where(a => type == "repository" && allowed.Contains(a)).Distinct()];
            granted.Add(new TokenAccess(type, scope[(first + 1)..last], actions));
        }

        return granted;
    }

    private static (string User, string Password)? ParseBasic(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A compact JWS (RS256) with distribution's claim set; <c>aud</c> is a string, as distribution 2.8 reads it.</summary>
    private string Sign(string subject, List<TokenAccess> access, DateTimeOffset now, DateTimeOffset expires)
    {
        string header = Base64Url(Json(w =>
        {
            w.WriteString("typ", "JWT");
            w.WriteString("alg", "RS256");
            w.WriteStartArray("x5c");
            w.WriteStringValue(Convert.ToBase64String(_certificate.RawData));
            w.WriteEndArray();
        }));
        string claims = Base64Url(Json(w =>
        {
            w.WriteString("iss", Issuer);
            w.WriteString("sub", subject);
            w.WriteString("aud", Service);
            w.WriteNumber("exp", expires.ToUnixTimeSeconds());
            w.WriteNumber("nbf", now.ToUnixTimeSeconds() - 1);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteString("jti", Guid.NewGuid().ToString("N"));
            w.WriteStartArray("access");
            foreach (TokenAccess a in access)
            {
                w.WriteStartObject();
                w.WriteString("type", a.Type);
                w.WriteString("name", a.Name);
                w.WriteStartArray("actions");
                foreach (string action in a.Actions)
                {
                    w.WriteStringValue(action);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
        string signingInput = header + "." + claims;
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private string TokenResponse(string token, DateTimeOffset now) => Encoding.UTF8.GetString(Json(w =>
    {
        w.WriteString("token", token);
        w.WriteString("access_token", token);
        w.WriteNumber("expires_in", (int)TokenLifetime.TotalSeconds);
        w.WriteString("issued_at", now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }));

    private static byte[] Json(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
