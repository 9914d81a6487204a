using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Registry.Auth;
using Berth.Testing.Registry;

namespace Berth.Registry.Tests;

public sealed class RegistryClientTests
{
    private static readonly byte[] ManifestBody = Encoding.UTF8.GetBytes(
        """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":2},"layers":[]}""");

    private static readonly Digest ManifestDigest = Digest.Compute(ManifestBody);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpResponseMessage Manifest(byte[] body, string mediaType = MediaTypes.OciManifest, string? digestHeader = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        response.Headers.Add(HeaderNames.DockerContentDigest, digestHeader ?? Digest.Compute(body).ToString());
        return response;
    }

    private static HttpResponseMessage Status(HttpStatusCode status, string body = "") =>
        new(status) { Content = new StringContent(body) };

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.5.6.7", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.com", false)]
    [InlineData("10.0.0.1:5000", false)]
    [InlineData("my.insecure:5000", true)]
    public void Loopback_and_insecure_registries_use_plain_http(string host, bool plain)
    {
        using var client = new RegistryClient(new RegistryClientOptions { InsecureRegistries = ["my.insecure:5000"] }, new FakeHttpHandler(_ => Status(HttpStatusCode.OK)));

        Assert.Equal(plain, client.IsPlainHttp(host));
        Assert.Equal(plain ? "http" : "https", client.BaseUri(host).Scheme);
    }

    [Fact]
    public async Task Manifest_requests_accept_OCI_and_Docker_indexes_and_manifests()
    {
        var handler = new FakeHttpHandler(_ => Manifest(ManifestBody));
        using var client = new RegistryClient(handler: handler);

        RegistryManifest m = await client.GetManifestAsync(ImageReference.Parse("registry.example.com/app:1"), Ct);

        Assert.Equal(ManifestDigest, m.Descriptor.Digest);
        Assert.Equal(MediaTypes.OciManifest, m.Descriptor.MediaType);
        RecordedRequest request = Assert.Single(handler.Requests);
        Assert.Equal("https://registry.example.com/v2/app/manifests/1", request.Uri.ToString());
        Assert.Equal(MediaTypes.ManifestAccept, request.Accept);
    }

    [Fact]
    public async Task A_manifest_fetched_by_digest_must_hash_to_that_digest()
    {
        Digest other = Digest.Compute("x"u8);
        using var client = new RegistryClient(handler: new FakeHttpHandler(_ => Manifest(ManifestBody, digestHeader: other.ToString())));

        var ex = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(ImageReference.Parse("registry.example.com/app@" + other), Ct));

        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("digest mismatch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Docker_Content_Digest_header_that_disagrees_with_the_body_is_refused()
    {
        using var client = new RegistryClient(handler: new FakeHttpHandler(_ => Manifest(ManifestBody, digestHeader: Digest.Compute("x"u8).ToString())));

        var ex = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(ImageReference.Parse("registry.example.com/app:1"), Ct));

        Assert.Contains("digest mismatch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_1_manifests_are_refused_with_Dockers_deprecation_notice()
    {
        using var client = new RegistryClient(handler: new FakeHttpHandler(_ => Manifest("{\"schemaVersion\":1}"u8.ToArray(), MediaTypes.DockerSchema1Signed)));

        var ex = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(ImageReference.Parse("old/image:1"), Ct));

        Assert.Equal(ErrorKind.NotImplemented, ex.Kind);
        Assert.StartsWith("[DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Suggest the author of old/image:1 to upgrade", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_bearer_flow_fetches_a_token_for_the_scope_and_caches_it()
    {
        var handler = new FakeHttpHandler(request => request.RequestUri!.Host switch
        {
            "auth.example.com" => Status(HttpStatusCode.OK, """{"access_token":"tok-1","expires_in":300}"""),
            _ when request.Headers.Authorization?.ToString() == "Bearer tok-1" => Manifest(ManifestBody),
            _ => Challenge(),
        });
        using var client = new RegistryClient(handler: handler);
        ImageReference reference = ImageReference.Parse("registry.example.com/team/app:1");

        await client.GetManifestAsync(reference, Ct);
        await client.GetManifestAsync(reference, Ct);

        Assert.Collection(
            handler.Requests,
            r => Assert.Null(r.Authorization),
            r => Assert.Equal("https://auth.example.com/token?service=registry.example.com&scope=repository%3Ateam%2Fapp%3Apull", r.Uri.ToString()),
            r => Assert.Equal("Bearer tok-1", r.Authorization),
            r => Assert.Equal("Bearer tok-1", r.Authorization));
    }

    [Fact]
    public async Task Credentialed_bearer_flow_sends_basic_credentials_to_the_realm_only()
    {
        var handler = new FakeHttpHandler(request => request.RequestUri!.Host switch
        {
            "auth.example.com" when request.Headers.Authorization?.ToString() == "Basic dTpw" => Status(HttpStatusCode.OK, """{"token":"tok-u"}"""),
            "auth.example.com" => Status(HttpStatusCode.Unauthorized),
            _ when request.Headers.Authorization?.ToString() == "Bearer tok-u" => Manifest(ManifestBody),
            _ => Challenge(),
        });
        var credentials = new DockerConfigCredentials(new Dictionary<string, RegistryCredential> { ["registry.example.com"] = new("u", "p") });
        using var client = new RegistryClient(new RegistryClientOptions { Credentials = credentials }, handler);

        await client.GetManifestAsync(ImageReference.Parse("registry.example.com/team/app:1"), Ct);

        Assert.Equal(["", "Basic dTpw", "Bearer tok-u"], handler.Requests.Select(r => r.Authorization ?? ""));
    }

    [Fact]
    public async Task A_refused_token_server_is_PermissionDenied()
    {
        var handler = new FakeHttpHandler(request => request.RequestUri!.Host == "auth.example.com" ? Status(HttpStatusCode.Unauthorized) : Challenge());
        using var client = new RegistryClient(handler: handler);

        var ex = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(ImageReference.Parse("registry.example.com/app:1"), Ct));

        Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
        Assert.Contains("unauthorized", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_registry_rejects_is_refreshed_once_then_the_error_surfaces()
    {
        int tokens = 0;
        var handler = new FakeHttpHandler(request => request.RequestUri!.Host == "auth.example.com"
            ? Status(HttpStatusCode.OK, $$"""{"token":"t{{++tokens}}"}""")
            : Challenge());
        using var client = new RegistryClient(handler: handler);

        var ex = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(ImageReference.Parse("registry.example.com/app:1"), Ct));

        Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
        Assert.Equal(1, tokens);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Basic_auth_challenge_is_answered_with_the_hosts_credential()
    {
        var handler = new FakeHttpHandler(request => request.Headers.Authorization?.ToString() == "Basic dTpw"
            ? Manifest(ManifestBody)
            : BasicChallenge());
        var credentials = new DockerConfigCredentials(new Dictionary<string, RegistryCredential> { ["registry.example.com"] = new("u", "p") });
        using var client = new RegistryClient(new RegistryClientOptions { Credentials = credentials }, handler);

        await client.GetManifestAsync(ImageReference.Parse("registry.example.com/app:1"), Ct);

        Assert.Equal(["", "Basic dTpw"], handler.Requests.Select(r => r.Authorization ?? ""));
    }

    [Fact]
    public async Task Blob_redirects_are_followed_without_sending_the_registry_token_to_another_host()
    {
        Digest digest = Digest.Compute("layer"u8);
        var handler = new FakeHttpHandler(request => request.RequestUri!.Host switch
        {
            "auth.example.com" => Status(HttpStatusCode.OK, """{"token":"secret"}"""),
            "cdn.example.net" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("layer"u8.ToArray()) },
            _ when request.Headers.Authorization is null => Challenge(),
            _ => Redirect(new Uri("https://cdn.example.net/blob?sig=1")),
        });
        using var client = new RegistryClient(handler: handler);

        await using BlobResponse blob = await client.GetBlobAsync(ImageReference.Parse("registry.example.com/app:1"), digest, 0, Ct);
        using var read = new MemoryStream();
        await blob.Content.CopyToAsync(read, Ct);

        Assert.Equal("layer"u8.ToArray(), read.ToArray());
        RecordedRequest cdn = handler.Requests[^1];
        Assert.Equal("cdn.example.net", cdn.Uri.Host);
        Assert.Null(cdn.Authorization);
        Assert.Equal("Bearer secret", handler.Requests[^2].Authorization);
    }

    [Fact]
    public async Task Resuming_sends_a_Range_and_reports_the_offset_the_server_honoured()
    {
        Digest digest = Digest.Compute("0123456789"u8);
        var handler = new FakeHttpHandler(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent("56789"u8.ToArray()) };
            response.Content.Headers.ContentRange = new ContentRangeHeaderValue(5, 9, 10);
            return response;
        });
        using var client = new RegistryClient(handler: handler);

        await using BlobResponse blob = await client.GetBlobAsync(ImageReference.Parse("registry.example.com/app:1"), digest, 5, Ct);

        Assert.Equal(5, blob.Offset);
        Assert.Equal(10, blob.TotalLength);
        Assert.Equal("bytes=5-", Assert.Single(handler.Requests).Range);
    }

    [Fact]
    public async Task A_server_that_ignores_Range_is_detected_by_a_zero_offset()
    {
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("0123456789"u8.ToArray()) });
        using var client = new RegistryClient(handler: handler);

        await using BlobResponse blob = await client.GetBlobAsync(ImageReference.Parse("registry.example.com/app:1"), Digest.Compute("0123456789"u8), 5, Ct);

        Assert.Equal(0, blob.Offset);
        Assert.Equal(10, blob.TotalLength);
    }

    [Fact]
    public async Task A_missing_blob_is_NotFound()
    {
        var handler = new FakeHttpHandler(_ => Status(HttpStatusCode.NotFound, """{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}"""));
        using var client = new RegistryClient(handler: handler);
        Digest digest = Digest.Compute("nope"u8);

        var ex = await Assert.ThrowsAsync<BerthException>(() => client.GetBlobAsync(ImageReference.Parse("registry.example.com/app:1"), digest, 0, Ct));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal($"blob {digest} not found: blob unknown: blob unknown to registry", ex.Message);
    }

    private static HttpResponseMessage Challenge()
    {
        HttpResponseMessage response = Status(HttpStatusCode.Unauthorized, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
        response.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\"");
        return response;
    }

    private static HttpResponseMessage BasicChallenge()
    {
        HttpResponseMessage response = Status(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"registry\"");
        return response;
    }

    private static HttpResponseMessage Redirect(Uri location)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location = location;
        return response;
    }
}
