using System.Text;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Registry.Auth;
using Berth.Testing.Registry;

namespace Berth.Registry.Tests.Integration;

/// <summary>The bearer flow over real sockets against <see cref="FakeTokenRegistry"/> on 127.0.0.1 (no root, loopback only).</summary>
public sealed class TokenAuthTests
{
    private static readonly byte[] ManifestBody = Encoding.UTF8.GetBytes(
        """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":2},"layers":[]}""");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anonymous_token_is_fetched_once_per_scope_and_never_sent_to_the_blob_host()
    {
        using var server = new FakeTokenRegistry();
        server.Manifests["team/app/1"] = (MediaTypes.OciManifest, ManifestBody);
        byte[] layer = Encoding.UTF8.GetBytes("layer bytes");
        Digest digest = Digest.Compute(layer);
        server.Blobs[digest.ToString()] = layer;
        using var client = new RegistryClient();
        var reference = ImageReference.Parse($"{server.Address}/team/app:1");

        await client.PingAsync(server.Address, Ct);
        RegistryManifest manifest = await client.GetManifestAsync(reference, Ct);
        await using BlobResponse blob = await client.GetBlobAsync(reference, digest, 0, Ct);
        using var read = new MemoryStream();
        await blob.Content.CopyToAsync(read, Ct);

        Assert.Equal(Digest.Compute(ManifestBody), manifest.Descriptor.Digest);
        Assert.Equal(layer, read.ToArray());
        Assert.Equal([""], server.CdnAuthorizations);
        Assert.Equal(2, server.TokensIssued); // one for the /v2/ probe (no scope), one for repository:team/app:pull
        Assert.Contains(server.TokenRequests, q => q.Contains("scope=repository%3Ateam%2Fapp%3Apull", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Credentials_from_config_json_are_sent_to_the_token_realm()
    {
        using var server = new FakeTokenRegistry("alice", "pw");
        server.Manifests["app/1"] = (MediaTypes.OciManifest, ManifestBody);
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pw"));
        var credentials = DockerConfigCredentials.Parse(Encoding.UTF8.GetBytes("{\"auths\":{\"" + server.Address + "\":{\"auth\":\"" + auth + "\"}}}"));
        using var client = new RegistryClient(new RegistryClientOptions { Credentials = credentials });

        RegistryManifest manifest = await client.GetManifestAsync(ImageReference.Parse($"{server.Address}/app:1"), Ct);

        Assert.Equal(Digest.Compute(ManifestBody), manifest.Descriptor.Digest);
        Assert.Equal(1, server.TokensIssued);
    }

    [Fact]
    public async Task Concurrent_first_requests_for_one_scope_share_one_token()
    {
        using var server = new FakeTokenRegistry();
        server.Manifests["app/1"] = (MediaTypes.OciManifest, ManifestBody);
        using var client = new RegistryClient();
        var reference = ImageReference.Parse($"{server.Address}/app:1");

        // Each request first meets a 401; the first token fetch serves them all and none of those 401s drops it.
        RegistryManifest[] manifests = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => client.GetManifestAsync(reference, Ct), Ct)));

        Assert.All(manifests, m => Assert.Equal(Digest.Compute(ManifestBody), m.Descriptor.Digest));
        Assert.Equal(1, server.TokensIssued);
    }

    [Fact]
    public async Task Wrong_credentials_give_a_clear_unauthorized_error()
    {
        using var server = new FakeTokenRegistry("alice", "pw");
        var credentials = new DockerConfigCredentials(new Dictionary<string, RegistryCredential> { [server.Address] = new("alice", "wrong") });
        using var client = new RegistryClient(new RegistryClientOptions { Credentials = credentials });

        var ex = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(ImageReference.Parse($"{server.Address}/app:1"), Ct));

        Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
        Assert.Contains("unauthorized: incorrect username or password", ex.Message, StringComparison.Ordinal);
    }
}
