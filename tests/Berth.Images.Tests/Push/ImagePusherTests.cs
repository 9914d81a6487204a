using System.Text.Json;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Images.Push;
using Berth.Images.Tests.Pull;
using Berth.Registry;
using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Registry;

namespace Berth.Images.Tests.Push;

/// <summary>Pushes to Debian's docker-registry on loopback and reads the result back with skopeo.</summary>
public sealed class ImagePusherTests(LocalRegistryFixture fixture) : IClassFixture<LocalRegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", "Privileged")]
    public async Task Busybox_pulled_from_one_repository_pushes_to_another_with_identical_digests_mounting_its_layer()
    {
        RegistryRequirements.LoopbackRegistry();
        Requires.Root();
        (LocalRegistry registry, BusyboxImage busybox) = await fixture.GetAsync();
        using var env = new PullEnvironment();
        (ImageRecord image, _) = await env.PullAsync(busybox.Reference);
        string target = $"{registry.Address}/mirror/busybox:latest";
        await env.Images.TagAsync(busybox.Reference, target, Ct);

        (Digest digest, List<ProgressEvent> events) = await PushAsync(env, target);

        Assert.Equal(image.ManifestDigest, digest);
        Assert.Equal($"The push refers to repository [{registry.Address}/mirror/busybox]", events[0].Status);
        Assert.Contains(events, e => e.Status == "Preparing" && e.Id == image.DiffIds[0].Encoded[..12]);
        Assert.Contains(events, e => e.Status == "Mounted from busybox");
        long manifestSize = (await env.Content.InfoAsync(image.ManifestDigest, Ct)).Size;
        Assert.Equal($"latest: digest: {image.ManifestDigest} size: {manifestSize}", events[^1].Status);

        using JsonDocument inspect = await SkopeoInspectAsync(target);
        Assert.Equal(image.ManifestDigest.ToString(), inspect.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(image.Layers.Select(l => l.Digest.ToString()), inspect.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
        string copy = Directory.CreateTempSubdirectory("berth-imagesvc-skopeo-").FullName;
        try
        {
            (await ChildProcess.RunAsync("skopeo", ["copy", "--quiet", "--src-tls-verify=false", $"docker://{target}", $"oci:{copy}:latest"], cancellationToken: Ct)).EnsureSuccess();
            Assert.True(File.Exists(Path.Combine(copy, "blobs", "sha256", image.ManifestDigest.Encoded)));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }

        Assert.Contains($"{registry.Address}/mirror/busybox@{digest}", (await env.Images.GetAsync(target, Ct)).RepoDigests);
    }

    [Fact]
    public async Task A_large_layer_goes_up_in_chunks_and_a_second_push_finds_every_layer()
    {
        RegistryRequirements.LoopbackRegistry();
        (LocalRegistry registry, _) = await fixture.GetAsync();
        using var env = new PullEnvironment();
        TestImage built = TestImagePusher.Build([LayerFixtures.Base(), LayerFixtures.Random("chunky", 300 << 10, 7)], TestImagePusher.Compression.None);
        string target = $"{registry.Address}/chunked:v1";
        ImageRecord image = await SeededImages.StoreAsync(env, built, target, Ct);

        (Digest digest, List<ProgressEvent> events) = await PushAsync(env, target, new ImagePusherOptions { ChunkSize = 64 << 10 });
        (_, List<ProgressEvent> again) = await PushAsync(env, target, new ImagePusherOptions { ChunkSize = 64 << 10 });

        Assert.Equal(built.ManifestDescriptor.Digest, digest);
        string big = image.DiffIds[1].Encoded[..12];
        List<long?> pushing = events.Where(e => e.Id == big && e.Status == "Pushing").Select(e => e.Current).ToList();
        Assert.True(pushing.Count >= 5, $"expected a progress line per 64 KiB chunk, got {pushing.Count}");
        Assert.Equal(image.Layers[1].Size, pushing[^1]);
        Assert.Contains(events, e => e.Id == big && e.Status == "Pushed");
        Assert.Equal(2, again.Count(e => e.Status == "Layer already exists"));
        using JsonDocument inspect = await SkopeoInspectAsync(target);
        Assert.Equal(digest.ToString(), inspect.RootElement.GetProperty("Digest").GetString());
    }

    [Fact]
    public async Task A_missing_tag_is_refused_with_dockers_wording()
    {
        using var env = new PullEnvironment();

        BerthException error = await Assert.ThrowsAsync<BerthException>(() => PushAsync(env, "127.0.0.1:1/nothing:here"));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("An image does not exist locally with the tag: 127.0.0.1:1/nothing", error.Message);
    }

    [Fact]
    public async Task Wrong_credentials_for_a_token_registry_give_a_clear_unauthorized_error()
    {
        RegistryRequirements.LoopbackRegistry();
        using var fake = new FakeTokenRegistry("alice", "secret");
        using var env = new PullEnvironment(new RegistryClientOptions { Credentials = new StaticCredentials(fake.Address, "alice", "wrong") });
        await SeededImages.StoreAsync(env, TestImagePusher.Build([LayerFixtures.Base()]), $"{fake.Address}/app:latest", Ct);

        BerthException error = await Assert.ThrowsAsync<BerthException>(() => PushAsync(env, $"{fake.Address}/app:latest"));

        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("unauthorized", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(fake.TokenRequests, r => r.Contains("pull%2Cpush", StringComparison.OrdinalIgnoreCase) || r.Contains("pull,push", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_htpasswd_registry_takes_a_push_with_basic_auth_and_refuses_a_wrong_password()
    {
        RegistryRequirements.LoopbackRegistry();
        string dir = Directory.CreateTempSubdirectory("berth-imagesvc-htpasswd-").FullName;
        try
        {
            string htpasswd = Path.Combine(dir, "htpasswd");
            (await ChildProcess.RunAsync("htpasswd", ["-Bbc", htpasswd, "bob", "hunter2"], cancellationToken: Ct)).EnsureSuccess();
            await using LocalRegistry registry = await LocalRegistry.StartAsync($"auth:\n  htpasswd:\n    realm: berth-test\n    path: {htpasswd}\n");
            TestImage built = TestImagePusher.Build([LayerFixtures.Base()]);
            string target = $"{registry.Address}/private:latest";
            using var good = new PullEnvironment(new RegistryClientOptions { Credentials = new StaticCredentials(registry.Address, "bob", "hunter2") });
            using var bad = new PullEnvironment(new RegistryClientOptions { Credentials = new StaticCredentials(registry.Address, "bob", "nope") });
            await SeededImages.StoreAsync(good, built, target, Ct);
            await SeededImages.StoreAsync(bad, built, target, Ct);

            (Digest digest, _) = await PushAsync(good, target);
            BerthException error = await Assert.ThrowsAsync<BerthException>(() => PushAsync(bad, target));

            Assert.Equal(built.ManifestDescriptor.Digest, digest);
            Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
            Assert.Contains("unauthorized", error.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(Digest Digest, List<ProgressEvent> Events)> PushAsync(PullEnvironment env, string reference, ImagePusherOptions? options = null)
    {
        var events = new List<ProgressEvent>();
        var pusher = new ImagePusher(env.Client, env.Content, env.Images, options);
        Digest digest = await pusher.PushAsync(ImageReference.Parse(reference), new ListProgress(events), Ct);
        return (digest, events);
    }

    private static async Task<JsonDocument> SkopeoInspectAsync(string reference)
    {
        ProcessResult result = (await ChildProcess.RunAsync("skopeo", ["inspect", "--tls-verify=false", $"docker://{reference}"], cancellationToken: Ct)).EnsureSuccess();
        return JsonDocument.Parse(result.Stdout);
    }
}
