using System.Net.Http.Headers;
using System.Text;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Registry.Manifests;
using Berth.Testing.Registry;

namespace Berth.Registry.Tests.Integration;

/// <summary>The client against Debian's docker-registry on 127.0.0.1 holding a busybox pushed by skopeo.</summary>
[Trait("Category", "Privileged")]
public sealed class LocalRegistryTests(LocalRegistryFixture fixture) : IClassFixture<LocalRegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_v2_probe_answers_over_plain_http_on_loopback()
    {
        RegistryRequirements.LoopbackRegistry();
        (var registry, _) = await fixture.GetAsync();
        using var client = new RegistryClient();

        Assert.Equal("http", client.BaseUri(registry.Address).Scheme);
        await client.PingAsync(registry.Address, Ct);
    }

    [Fact]
    public async Task Busybox_resolves_to_a_manifest_whose_config_and_layers_verify()
    {
        RegistryRequirements.LoopbackRegistry();
        (_, var image) = await fixture.GetAsync();
        using var client = new RegistryClient();
        var reference = ImageReference.Parse(image.Reference);

        Descriptor head = await client.HeadManifestAsync(reference, Ct);
        ResolvedImage resolved = await client.ResolveAsync(reference, cancellationToken: Ct);
        ImageConfigFile config = await client.GetImageConfigAsync(reference, resolved.Parsed, Ct);

        Assert.Equal(head.Digest, resolved.Target.Digest);
        Assert.True(MediaTypes.IsManifest(resolved.Manifest.Descriptor.MediaType));
        Assert.Equal(["sh"], config.Config?.Cmd);
        Assert.Contains(config.Config?.Env ?? [], e => e.StartsWith("PATH=", StringComparison.Ordinal));
        Assert.Equal(resolved.Parsed.Layers.Count, config.RootFS.DiffIds.Count);
        Assert.NotEmpty(resolved.Parsed.Layers);

        foreach (OciDescriptor layer in resolved.Parsed.Layers)
        {
            Descriptor d = layer.ToDescriptor();
            (Digest digest, long length) = await HashBlobAsync(client, reference, d.Digest, 0);
            Assert.Equal(d.Digest, digest);
            Assert.Equal(d.Size, length);
        }
    }

    [Fact]
    public async Task An_index_pushed_to_the_registry_is_narrowed_to_the_platform_skipping_attestations()
    {
        RegistryRequirements.LoopbackRegistry();
        (var registry, var image) = await fixture.GetAsync();
        using var client = new RegistryClient();
        var reference = ImageReference.Parse(image.Reference);
        RegistryManifest manifest = await client.GetManifestAsync(reference, Ct);
        Descriptor m = manifest.Descriptor;
        string index = $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[
              {"mediaType":"{{{m.MediaType}}}","digest":"{{{m.Digest}}}","size":{{{m.Size}}},"platform":{"os":"unknown","architecture":"unknown"},"annotations":{"vnd.docker.reference.type":"attestation-manifest"}},
              {"mediaType":"{{{m.MediaType}}}","digest":"{{{m.Digest}}}","size":{{{m.Size}}},"platform":{"os":"linux","architecture":"{{{Platform.Host.Architecture}}}"}}]}
            """;
        using (var http = new HttpClient())
        {
            using var content = new StringContent(index, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciIndex);
            using HttpResponseMessage put = await http.PutAsync(new Uri($"http://{registry.Address}/v2/busybox/manifests/multi"), content, Ct);
            Assert.True(put.IsSuccessStatusCode, $"PUT index: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(Ct)}");
        }

        ResolvedImage resolved = await client.ResolveAsync(reference.WithTag("multi"), cancellationToken: Ct);

        Assert.Equal(MediaTypes.OciIndex, resolved.Target.MediaType);
        Assert.Equal(m.Digest, resolved.Manifest.Descriptor.Digest);
        var ex = await Assert.ThrowsAsync<BerthException>(() => client.ResolveAsync(reference.WithTag("multi"), new Platform("linux", "s390x"), Ct));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task A_blob_that_does_not_exist_fails_with_NotFound_naming_the_digest()
    {
        RegistryRequirements.LoopbackRegistry();
        (_, var image) = await fixture.GetAsync();
        using var client = new RegistryClient();
        Digest missing = Digest.Compute("not in the registry"u8);

        var ex = await Assert.ThrowsAsync<BerthException>(() => client.GetBlobAsync(ImageReference.Parse(image.Reference), missing, 0, Ct));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.StartsWith($"blob {missing} not found: blob unknown", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_requested_by_a_wrong_digest_or_tag_is_NotFound()
    {
        RegistryRequirements.LoopbackRegistry();
        (_, var image) = await fixture.GetAsync();
        using var client = new RegistryClient();
        var reference = ImageReference.Parse(image.Reference);

        var byDigest = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(reference.WithoutTagOrDigest().WithDigest(Digest.Compute("x"u8)), Ct));
        var byTag = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(reference.WithTag("nope"), Ct));

        Assert.Equal(ErrorKind.NotFound, byDigest.Kind);
        Assert.Equal(ErrorKind.NotFound, byTag.Kind);
        Assert.StartsWith($"manifest for {reference.WithTag("nope").FamiliarString} not found: manifest unknown", byTag.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layer_download_resumes_from_an_offset_with_Range()
    {
        RegistryRequirements.LoopbackRegistry();
        (_, var image) = await fixture.GetAsync();
        using var client = new RegistryClient();
        var reference = ImageReference.Parse(image.Reference);
        ResolvedImage resolved = await client.ResolveAsync(reference, cancellationToken: Ct);
        Descriptor layer = resolved.Parsed.Layers[0].ToDescriptor();
        long half = layer.Size / 2;

        byte[] prefix = new byte[half];
        await using (BlobResponse first = await client.GetBlobAsync(reference, layer.Digest, 0, Ct))
        {
            await first.Content.ReadExactlyAsync(prefix, Ct); // then the transfer "breaks"
        }

        await using BlobResponse rest = await client.GetBlobAsync(reference, layer.Digest, half, Ct);
        using var hasher = new DigestHasher();
        hasher.Append(prefix);
        await AppendAsync(hasher, rest.Content);

        Assert.Equal(half, rest.Offset);
        Assert.Equal(layer.Size, rest.TotalLength);
        Assert.Equal(layer.Digest, hasher.Current());
        Assert.Equal(layer.Size, hasher.Length);
    }

    private static async Task<(Digest Digest, long Length)> HashBlobAsync(RegistryClient client, ImageReference reference, Digest digest, long offset)
    {
        await using BlobResponse blob = await client.GetBlobAsync(reference, digest, offset, Ct);
        using var hasher = new DigestHasher();
        await AppendAsync(hasher, blob.Content);
        return (hasher.Current(), hasher.Length);
    }

    private static async Task AppendAsync(DigestHasher hasher, Stream stream)
    {
        byte[] buffer = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(buffer, Ct)) > 0)
        {
            hasher.Append(buffer.AsSpan(0, n));
        }
    }
}
