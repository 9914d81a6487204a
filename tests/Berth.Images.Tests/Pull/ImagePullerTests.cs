using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Core.Snapshots;
using Berth.Images.Pull;
using Berth.Registry;
using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Registry;

namespace Berth.Images.Tests.Pull;

/// <summary>Pulls from Debian's docker-registry on loopback into a real content store (needs root to unpack).</summary>
[Trait("Category", "Privileged")]
public sealed class ImagePullerTests(LocalRegistryFixture fixture) : IClassFixture<LocalRegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(LocalRegistry Registry, BusyboxImage Image)> RequireAsync(LocalRegistryFixture fixture)
    {
        RegistryRequirements.LoopbackRegistry();
        Requires.Root();
        return await fixture.GetAsync();
    }

    [Fact]
    public async Task Busybox_pull_stores_the_image_and_unpacks_bin_busybox()
    {
        (_, BusyboxImage busybox) = await RequireAsync(fixture);
        using var env = new PullEnvironment();

        (ImageRecord image, _) = await env.PullAsync(busybox.Reference);

        Assert.True(File.Exists(Path.Combine(env.TreeOf(image), "bin", "busybox")));
        Assert.Equal("busybox", File.ReadAllText(Path.Combine(env.TreeOf(image), "etc", "passwd")).Contains("root:x:0:0", StringComparison.Ordinal) ? "busybox" : "");
        Assert.Equal(["sh"], image.Config.Cmd);
        Assert.Equal([busybox.Reference], image.RepoTags);
        Assert.Single(image.RepoDigests);
        Assert.Equal(image.Id, (await env.Images.GetAsync(busybox.Reference, Ct)).Id);
        Assert.True(await env.Content.ExistsAsync(image.Id, Ct));
        Assert.True(await env.Content.ExistsAsync(image.ManifestDigest, Ct));
        Assert.All(image.Layers, l => Assert.True(env.Content.ExistsAsync(l.Digest, Ct).Result));
        Assert.Equal(SnapshotKind.Committed, (await env.Snapshots.StatAsync(image.ChainId!, Ct))!.Kind);
        Assert.True(image.Size > 0);
    }

    [Fact]
    public async Task A_second_pull_downloads_nothing_and_says_the_image_is_up_to_date()
    {
        (_, BusyboxImage busybox) = await RequireAsync(fixture);
        using var env = new PullEnvironment();
        await env.PullAsync(busybox.Reference);

        (_, List<ProgressEvent> events) = await env.PullAsync(busybox.Reference);

        Assert.DoesNotContain(events, e => e.Status == "Downloading");
        Assert.Contains(events, e => e.Status == "Already exists");
        Assert.Equal($"Status: Image is up to date for {busybox.Reference}", events[^1].Status);
    }

    [Fact]
    public async Task Progress_follows_dockers_wording_and_order()
    {
        (_, BusyboxImage busybox) = await RequireAsync(fixture);
        using var env = new PullEnvironment();

        (ImageRecord image, List<ProgressEvent> events) = await env.PullAsync(busybox.Reference);

        Assert.Equal(new ProgressEvent("latest", "Pulling from busybox"), events[0]);
        string layer = image.Layers[0].Digest.Encoded[..12];
        List<string> statuses = events.Where(e => e.Id == layer && e.Status != "Downloading" && e.Status != "Extracting").Select(e => e.Status).ToList();
        Assert.Equal(["Pulling fs layer", "Verifying Checksum", "Download complete", "Pull complete"], statuses);
        int downloading = events.FindIndex(e => e.Id == layer && e.Status == "Downloading");
        int extracting = events.FindIndex(e => e.Id == layer && e.Status == "Extracting");
        Assert.InRange(downloading, 1, events.FindIndex(e => e.Status == "Verifying Checksum"));
        Assert.True(extracting > events.FindIndex(e => e.Status == "Download complete"));
        ProgressEvent lastDownload = events.Last(e => e.Status == "Downloading");
        Assert.Equal(image.Layers[0].Size, lastDownload.Current);
        Assert.Equal(image.Layers[0].Size, lastDownload.Total);
        Assert.Equal(new ProgressEvent(null, $"Digest: {image.RepoDigests[0].Split('@')[1]}"), events[^2]);
        Assert.Equal(new ProgressEvent(null, $"Status: Downloaded newer image for {busybox.Reference}"), events[^1]);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    [InlineData("none")]
    public async Task A_three_layer_image_unpacks_in_order_with_its_whiteout(string tag)
    {
        var compression = Enum.Parse<TestImagePusher.Compression>(tag, ignoreCase: true);
        (LocalRegistry registry, _) = await RequireAsync(fixture);
        using var pusher = new TestImagePusher(registry.Address);
        await pusher.PushImageAsync("layered", tag, [LayerFixtures.Base(), LayerFixtures.Change(), LayerFixtures.Top()], compression, cancellationToken: Ct);
        using var env = new PullEnvironment();

        (ImageRecord image, _) = await env.PullAsync($"{registry.Address}/layered:{tag}");

        string tree = env.TreeOf(image);
        Assert.Equal("#!/bin/sh\necho base\n", File.ReadAllText(Path.Combine(tree, "bin", "tool")));
        Assert.Equal("layer2\n", File.ReadAllText(Path.Combine(tree, "etc", "hostname")));
        Assert.Equal("data", new FileInfo(Path.Combine(tree, "srv", "link")).LinkTarget);
        Assert.NotEqual("bye\n", TryRead(Path.Combine(tree, "etc", "doomed")));
        Assert.Equal(3, image.DiffIds.Count);
        IReadOnlyList<Digest> chain = ChainIds.Compute(image.DiffIds);
        foreach (Digest c in chain)
        {
            Assert.Equal(SnapshotKind.Committed, (await env.Snapshots.StatAsync(c.ToString(), Ct))?.Kind);
        }

        Assert.Equal(chain[1].ToString(), (await env.Snapshots.StatAsync(chain[2].ToString(), Ct))!.Parent);
        Assert.Equal(["80/tcp"], image.Config.ExposedPorts);
    }

    [Fact]
    public async Task An_image_sharing_lower_layers_reports_them_as_already_existing()
    {
        (LocalRegistry registry, _) = await RequireAsync(fixture);
        using var pusher = new TestImagePusher(registry.Address);
        await pusher.PushImageAsync("shared", "one", [LayerFixtures.Base(), LayerFixtures.Change()], cancellationToken: Ct);
        await pusher.PushImageAsync("shared", "two", [LayerFixtures.Base(), LayerFixtures.Change(), LayerFixtures.Top()], cancellationToken: Ct);
        using var env = new PullEnvironment();
        await env.PullAsync($"{registry.Address}/shared:one");

        (ImageRecord two, List<ProgressEvent> events) = await env.PullAsync($"{registry.Address}/shared:two");

        Assert.Equal(2, events.Count(e => e.Status == "Already exists"));
        Assert.Single(events, e => e.Status == "Pull complete");
        Assert.True(File.Exists(Path.Combine(env.TreeOf(two), "srv", "data")));
    }

    [Fact]
    public async Task An_index_yields_the_host_platform_and_platform_override_picks_the_other_entry()
    {
        (LocalRegistry registry, _) = await RequireAsync(fixture);
        using var pusher = new TestImagePusher(registry.Address);
        Descriptor amd64 = await pusher.PushImageAsync("multi", "amd64", [LayerFixtures.Base()], architecture: "amd64", cancellationToken: Ct);
        Descriptor arm64 = await pusher.PushImageAsync("multi", "arm64", [LayerFixtures.Top()], architecture: "arm64", cancellationToken: Ct);
        Descriptor attestation = await pusher.PushImageAsync("multi", "att", [LayerFixtures.Change()], architecture: "amd64", cancellationToken: Ct);
        Descriptor index = await pusher.PushIndexAsync("multi", "latest", [(attestation, "unknown", "unknown"), (amd64, "linux", "amd64"), (arm64, "linux", "arm64")], Ct);
        using var env = new PullEnvironment();

        (ImageRecord host, List<ProgressEvent> events) = await env.PullAsync($"{registry.Address}/multi", new Platform("linux", "amd64"));
        (ImageRecord other, _) = await env.PullAsync($"{registry.Address}/multi", Platform.Parse("linux/arm64"));

        Assert.Equal(amd64.Digest, host.ManifestDigest);
        Assert.Equal(index.Digest, host.TargetDigest);
        Assert.Equal("amd64", host.Architecture);
        Assert.Contains(new ProgressEvent(null, $"Digest: {index.Digest}"), events);
        Assert.Equal(arm64.Digest, other.ManifestDigest);
        Assert.Equal("arm64", other.Architecture);
        Assert.True(await env.Content.ExistsAsync(index.Digest, Ct));
    }

    [Fact]
    public async Task A_transfer_cut_in_the_middle_resumes_with_range_and_completes()
    {
        (LocalRegistry registry, _) = await RequireAsync(fixture);
        using var pusher = new TestImagePusher(registry.Address);
        TestImage built = TestImagePusher.Build([LayerFixtures.Random("big", 2 << 20, 1)]);
        await pusher.PushImageAsync("cut", "latest", [LayerFixtures.Random("big", 2 << 20, 1)], cancellationToken: Ct);
        Digest layer = built.Blobs.Keys.First(d => d != built.ConfigDigest);
        await using var proxy = new CuttingProxy(registry.Address) { CutOnce = $"/blobs/{layer}", CutAfterBytes = 1 << 20 };
        using var env = new PullEnvironment();

        (ImageRecord image, _) = await env.PullAsync($"{proxy.Address}/cut:latest");

        Assert.Equal(1, proxy.Cuts);
        Assert.Contains(proxy.Requests, r => r.Contains($"/blobs/{layer}", StringComparison.Ordinal) && r.Contains("Range: bytes=", StringComparison.Ordinal));
        Assert.Equal(2 << 20, new FileInfo(Path.Combine(env.TreeOf(image), "big")).Length);
        Assert.True(await env.Content.VerifyAsync(layer, Ct));
    }

    [Fact]
    public async Task A_corrupted_blob_fails_with_a_digest_mismatch_and_nothing_enters_the_store()
    {
        RegistryRequirements.LoopbackRegistry();
        Requires.Root();
        await using LocalRegistry registry = await LocalRegistry.StartAsync();
        using var pusher = new TestImagePusher(registry.Address);
        TestImage built = TestImagePusher.Build([LayerFixtures.Random("payload", 256 << 10, 2)]);
        await pusher.PushImageAsync("corrupt", "latest", [LayerFixtures.Random("payload", 256 << 10, 2)], cancellationToken: Ct);
        Digest layer = built.Blobs.Keys.First(d => d != built.ConfigDigest);
        string stored = Path.Combine(registry.Dir, "data", "docker", "registry", "v2", "blobs", "sha256", layer.Encoded[..2], layer.Encoded, "data");
        byte[] bytes = File.ReadAllBytes(stored);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(stored, bytes);
        using var env = new PullEnvironment();

        BerthException error = await Assert.ThrowsAsync<BerthException>(() => env.PullAsync($"{registry.Address}/corrupt:latest"));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains(layer.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("digest", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await env.Content.ListAsync(Ct).ToListAsync(Ct));
        Assert.Empty(await env.Snapshots.ListAsync(Ct).ToListAsync(Ct));
        Assert.Empty(await env.Images.ListAsync(Ct));
    }

    [Fact]
    public async Task Cancelling_mid_download_leaves_no_snapshot_blob_or_image()
    {
        (LocalRegistry registry, _) = await RequireAsync(fixture);
        using var pusher = new TestImagePusher(registry.Address);
        await pusher.PushImageAsync("slow", "latest", [LayerFixtures.Random("slow", 4 << 20, 3)], cancellationToken: Ct);
        await using var proxy = new CuttingProxy(registry.Address) { BytesPerSecond = 1 << 20 };
        using var env = new PullEnvironment();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new CancelOnDownloading(cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            env.Puller.PullAsync(ImageReference.Parse($"{proxy.Address}/slow:latest"), null, progress, cancel.Token));

        Assert.Empty(await env.Snapshots.ListAsync(Ct).ToListAsync(Ct));
        Assert.Empty(await env.Images.ListAsync(Ct));
        Assert.DoesNotContain(await env.Content.ListAsync(Ct).ToListAsync(Ct), b => b.Size > (1 << 20));
    }

    [Fact]
    public async Task Wrong_credentials_give_a_clear_unauthorized_error()
    {
        RegistryRequirements.LoopbackRegistry();
        using var fake = new FakeTokenRegistry("alice", "secret");
        TestImage built = TestImagePusher.Build([LayerFixtures.Base()]);
        fake.Manifests["app/latest"] = (TestImagePusher.OciManifest, built.Manifest);
        using var env = new PullEnvironment(new RegistryClientOptions { Credentials = new StaticCredentials(fake.Address, "alice", "wrong") });

        BerthException error = await Assert.ThrowsAsync<BerthException>(() => env.PullAsync($"{fake.Address}/app:latest"));

        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("unauthorized", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_token_auth_registry_with_a_cdn_redirect_pulls_with_credentials()
    {
        RegistryRequirements.LoopbackRegistry();
        Requires.Root();
        using var fake = new FakeTokenRegistry("alice", "secret");
        TestImage built = TestImagePusher.Build([LayerFixtures.Base(), LayerFixtures.Top()]);
        fake.Manifests["app/latest"] = (TestImagePusher.OciManifest, built.Manifest);
        foreach ((Digest digest, byte[] blob) in built.Blobs)
        {
            fake.Blobs[digest.ToString()] = blob;
        }

        using var env = new PullEnvironment(new RegistryClientOptions { Credentials = new StaticCredentials(fake.Address, "alice", "secret") });

        (ImageRecord image, _) = await env.PullAsync($"{fake.Address}/app:latest");

        Assert.Equal(built.ConfigDigest, image.Id);
        Assert.True(File.Exists(Path.Combine(env.TreeOf(image), "srv", "data")));
        Assert.True(fake.TokensIssued > 0);
        Assert.DoesNotContain(fake.CdnAuthorizations, a => a.Length > 0);
    }

    [Fact]
    public async Task An_htpasswd_registry_pulls_with_basic_auth_and_refuses_a_wrong_password()
    {
        RegistryRequirements.LoopbackRegistry();
        Requires.Root();
        string dir = Directory.CreateTempSubdirectory("berth-pull-htpasswd-").FullName;
        try
        {
            string htpasswd = Path.Combine(dir, "htpasswd");
            (await ChildProcess.RunAsync("htpasswd", ["-Bbc", htpasswd, "bob", "hunter2"], cancellationToken: Ct)).EnsureSuccess();
            await using LocalRegistry registry = await LocalRegistry.StartAsync($"auth:\n  htpasswd:\n    realm: berth-test\n    path: {htpasswd}\n");
            TestImage built = TestImagePusher.Build([LayerFixtures.Base()]);
            using (var http = new HttpClient())
            {
                http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("bob:hunter2"u8));
                using var pusher = new TestImagePusher(registry.Address, http);
                await pusher.PushImageAsync("private", "latest", [LayerFixtures.Base()], cancellationToken: Ct);
            }

            using var good = new PullEnvironment(new RegistryClientOptions { Credentials = new StaticCredentials(registry.Address, "bob", "hunter2") });
            using var bad = new PullEnvironment(new RegistryClientOptions { Credentials = new StaticCredentials(registry.Address, "bob", "nope") });

            (ImageRecord image, _) = await good.PullAsync($"{registry.Address}/private:latest");
            BerthException error = await Assert.ThrowsAsync<BerthException>(() => bad.PullAsync($"{registry.Address}/private:latest"));

            Assert.Equal(built.ConfigDigest, image.Id);
            Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
            Assert.Contains("unauthorized", error.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return new FileInfo(path) is { Exists: true, LinkTarget: null } f && (f.Attributes & FileAttributes.Device) == 0 && f.Length > 0 ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed class CancelOnDownloading(CancellationTokenSource cancel) : IProgress<ProgressEvent>
    {
        public void Report(ProgressEvent value)
        {
            if (value.Status == "Downloading")
            {
                cancel.Cancel();
            }
        }
    }
}
