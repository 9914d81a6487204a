using System.Net;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Testing.Registry;

namespace Berth.Registry.Tests;

/// <summary>The push requests' shapes (distribution-spec): chunked PATCH ranges, relative Locations, the closing PUT's
/// digest, mounts declined, manifests with their exact bytes; and registry refusals worded for a push.</summary>
public sealed class RegistryClientPushTests
{
    private static readonly ImageReference Repo = ImageReference.Parse("127.0.0.1:5000/team/app:latest");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_blob_larger_than_a_chunk_goes_up_as_patches_then_a_closing_put()
    {
        byte[] blob = "0123456789"u8.ToArray();
        var descriptor = new Descriptor("application/octet-stream", Digest.Compute(blob), blob.Length);
        var seen = new List<string>();
        int state = 0;
        var handler = new FakeHttpHandler(request =>
        {
            string range = request.Content?.Headers.TryGetValues("Content-Range", out IEnumerable<string>? values) == true ? values.First() : "";
            byte[] body = request.Content?.ReadAsByteArrayAsync().GetAwaiter().GetResult() ?? [];
            seen.Add($"{request.Method} {request.RequestUri!.PathAndQuery} {range} {System.Text.Encoding.ASCII.GetString(body)}".TrimEnd());
            var response = new HttpResponseMessage(request.Method == HttpMethod.Put ? HttpStatusCode.Created : HttpStatusCode.Accepted);
            response.Headers.Location = new Uri($"/v2/team/app/blobs/uploads/u1?state={++state}", UriKind.Relative);
            return response;
        });
        using var client = new RegistryClient(null, handler);
        var progress = new List<long>();

        await client.UploadBlobAsync(Repo, descriptor, _ => Task.FromResult<Stream>(new MemoryStream(blob)), 4, progress.Add, Ct);

        Assert.Equal(
        [
            "POST /v2/team/app/blobs/uploads/",
            "PATCH /v2/team/app/blobs/uploads/u1?state=1 0-3 0123",
            "PATCH /v2/team/app/blobs/uploads/u1?state=2 4-7 4567",
            "PATCH /v2/team/app/blobs/uploads/u1?state=3 8-9 89",
            $"PUT /v2/team/app/blobs/uploads/u1?state=4&digest={Uri.EscapeDataString(descriptor.Digest.ToString())}",
        ], seen);
        Assert.Equal([4L, 8L, 10L], progress);
    }

    [Fact]
    public async Task A_declined_mount_is_false_and_its_upload_session_is_cancelled()
    {
        var handler = new FakeHttpHandler(request =>
        {
            var response = new HttpResponseMessage(request.Method == HttpMethod.Post ? HttpStatusCode.Accepted : HttpStatusCode.NoContent);
            response.Headers.Location = new Uri("/v2/team/app/blobs/uploads/u2", UriKind.Relative);
            return response;
        });
        using var client = new RegistryClient(null, handler);

        bool mounted = await client.MountBlobAsync(Repo, Digest.Compute("x"u8), "library/busybox", Ct);

        Assert.False(mounted);
        Assert.Contains("mount=sha256%3A", handler.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("from=library%2Fbusybox", handler.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Equal(HttpMethod.Delete, handler.Requests[1].Method);
    }

    [Fact]
    public async Task A_manifest_goes_up_with_its_exact_bytes_and_media_type()
    {
        byte[] manifest = """{"schemaVersion":2,  "odd":"spacing"}"""u8.ToArray();
        byte[]? sent = null;
        string? type = null;
        var handler = new FakeHttpHandler(request =>
        {
            sent = request.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            type = request.Content.Headers.ContentType?.MediaType;
            return new HttpResponseMessage(HttpStatusCode.Created);
        });
        using var client = new RegistryClient(null, handler);

        Digest digest = await client.PutManifestAsync(Repo, "latest", "application/vnd.oci.image.manifest.v1+json", manifest, Ct);

        Assert.Equal(manifest, sent);
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", type);
        Assert.Equal(Digest.Compute(manifest), digest);
    }

    [Fact]
    public async Task A_denied_push_says_what_the_registry_said_without_pull_wording()
    {
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            Content = new StringContent("""{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"""),
        });
        using var client = new RegistryClient(null, handler);

        BerthException error = await Assert.ThrowsAsync<BerthException>(() => client.BlobExistsAsync(Repo, Digest.Compute("x"u8), Ct));

        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.DoesNotContain("pull access", error.Message, StringComparison.Ordinal);
        Assert.Contains("denied", error.Message, StringComparison.Ordinal);
    }
}
