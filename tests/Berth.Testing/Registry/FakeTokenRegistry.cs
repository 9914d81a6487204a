using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Berth.Testing.Registry;

/// <summary>
/// A token-authenticated registry in miniature on 127.0.0.1 (HttpListener), Docker Hub's shape: <c>/v2/…</c> answers
/// 401 with a Bearer challenge naming <c>/token</c> on the same listener, <c>/token</c> issues tokens (optionally only
/// to <see cref="Username"/>/<see cref="Password"/> by Basic auth), manifests are served from <see cref="Manifests"/>,
/// and blobs redirect to a second listener (another host:port, a "CDN") that records the Authorization it saw.
/// </summary>
public sealed class FakeTokenRegistry : IDisposable
{
    private readonly HttpListener _registry = new();
    private readonly HttpListener _cdn = new();
    private readonly ConcurrentQueue<string> _cdnAuthorizations = new();
    private readonly ConcurrentQueue<string> _tokenRequests = new();
    private readonly CancellationTokenSource _stop = new();
    private int _issued;

    public FakeTokenRegistry(string? username = null, string? password = null)
    {
        Username = username;
        Password = password;
        Port = LoopbackHttpListener.Start(_registry);
        CdnPort = LoopbackHttpListener.Start(_cdn);
        _ = LoopbackHttpListener.ServeAsync(_registry, HandleRegistryAsync, _stop.Token);
        _ = LoopbackHttpListener.ServeAsync(_cdn, HandleCdnAsync, _stop.Token);
    }

    public string? Username { get; }

    public string? Password { get; }

    public int Port { get; }

    public int CdnPort { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Manifests by <c>repo/reference</c>, with their media type.</summary>
    public ConcurrentDictionary<string, (string MediaType, byte[] Body)> Manifests { get; } = new();

    /// <summary>Blobs by digest string.</summary>
    public ConcurrentDictionary<string, byte[]> Blobs { get; } = new();

    /// <summary>The Authorization header of every CDN request ("" when none).</summary>
    public IReadOnlyList<string> CdnAuthorizations => [.. _cdnAuthorizations];

    /// <summary>The query string of every token request.</summary>
    public IReadOnlyList<string> TokenRequests => [.. _tokenRequests];

    public int TokensIssued => _issued;

    public void Dispose()
    {
        _stop.Cancel();
        _registry.Close();
        _cdn.Close();
        _stop.Dispose();
    }

    private async Task HandleRegistryAsync(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        HttpListenerResponse response = context.Response;
        string path = request.Url!.AbsolutePath;
        if (path == "/token")
        {
            _tokenRequests.Enqueue(request.Url.Query);
            if (Username is not null &&
                request.Headers["Authorization"] != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")))
            {
                await LoopbackHttpListener.WriteJsonAsync(response, 401, """{"details":"incorrect username or password"}""");
                return;
            }

            int n = Interlocked.Increment(ref _issued);
            await LoopbackHttpListener.WriteJsonAsync(response, 200, $$"""{"token":"tok-{{n}}","expires_in":300}""");
            return;
        }

        if (request.Headers["Authorization"] is not { } auth || !auth.StartsWith("Bearer tok-", StringComparison.Ordinal))
        {
            response.AddHeader("WWW-Authenticate", $"Bearer realm=\"http://{Address}/token\",service=\"{Address}\"");
            await LoopbackHttpListener.WriteJsonAsync(response, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
            return;
        }

        if (path == "/v2/")
        {
            await LoopbackHttpListener.WriteJsonAsync(response, 200, "{}");
            return;
        }

        int manifests = path.IndexOf("/manifests/", StringComparison.Ordinal);
        if (manifests > 0 && Manifests.TryGetValue(path[4..manifests] + "/" + path[(manifests + 11)..], out var manifest))
        {
            response.ContentType = manifest.MediaType;
            response.AddHeader("Docker-Content-Digest", "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifest.Body)));
            response.StatusCode = 200;
            await response.OutputStream.WriteAsync(manifest.Body);
            return;
        }

        int blobs = path.IndexOf("/blobs/", StringComparison.Ordinal);
        if (blobs > 0 && Blobs.ContainsKey(path[(blobs + 7)..]))
        {
            response.StatusCode = 307;
            response.RedirectLocation = $"http://127.0.0.1:{CdnPort}/cdn/{path[(blobs + 7)..]}";
            return;
        }

        await LoopbackHttpListener.WriteJsonAsync(response, 404, """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}""");
    }

    private async Task HandleCdnAsync(HttpListenerContext context)
    {
        _cdnAuthorizations.Enqueue(context.Request.Headers["Authorization"] ?? "");
        string digest = context.Request.Url!.AbsolutePath["/cdn/".Length..];
        if (!Blobs.TryGetValue(digest, out byte[]? blob))
        {
            await LoopbackHttpListener.WriteJsonAsync(context.Response, 404, "");
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentLength64 = blob.Length;
        await context.Response.OutputStream.WriteAsync(blob);
    }
}
