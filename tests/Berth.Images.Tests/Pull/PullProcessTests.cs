using System.Diagnostics;
using Berth.Core.Content;
using Berth.Core.Images;
using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Registry;

namespace Berth.Images.Tests.Pull;

/// <summary>A pull in another process (tests/Berth.PullProbe) killed with SIGKILL mid-download, then pulled again here.</summary>
[Trait("Category", "Privileged")]
public sealed class PullProcessTests(LocalRegistryFixture fixture) : IClassFixture<LocalRegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ProbePath => RepositoryPaths.Combine("tests", "Berth.PullProbe", "bin", "Debug", "net10.0", "Berth.PullProbe");

    [Fact]
    public async Task After_kill_9_mid_pull_the_next_pull_completes_and_no_partial_blob_is_in_the_store()
    {
        RegistryRequirements.LoopbackRegistry();
        Requires.Root();
        (LocalRegistry registry, _) = await fixture.GetAsync();
        using var pusher = new TestImagePusher(registry.Address);
        byte[][] layers = [LayerFixtures.Random("one", 3 << 20, 11), LayerFixtures.Random("two", 3 << 20, 12)];
        await pusher.PushImageAsync("killed", "latest", layers, cancellationToken: Ct);
        await using var proxy = new CuttingProxy(registry.Address) { BytesPerSecond = 1 << 20 };
        using var env = new PullEnvironment();
        string reference = $"{proxy.Address}/killed:latest";

        using (var probe = Process.Start(new ProcessStartInfo(ProbePath, [env.Root, reference, "--tree"]) { RedirectStandardOutput = true, UseShellExecute = false })!)
        {
            try
            {
                while (await probe.StandardOutput.ReadLineAsync(Ct) is { } line && !line.Contains("Downloading", StringComparison.Ordinal))
                {
                }
            }
            finally
            {
                probe.Kill();
                await probe.WaitForExitAsync(Ct);
            }

            Assert.NotEqual(0, probe.ExitCode);
        }

        Assert.Empty(await env.Images.ListAsync(Ct));
        proxy.BytesPerSecond = 0;
        (ImageRecord image, _) = await env.PullAsync(reference);

        List<ContentInfo> blobs = await env.Content.ListAsync(Ct).ToListAsync(Ct);
        foreach (ContentInfo blob in blobs)
        {
            Assert.True(await env.Content.VerifyAsync(blob.Digest, Ct), $"{blob.Digest} does not verify");
        }

        Assert.Equal(4, blobs.Count); // config, manifest, two layers
        Assert.Equal(3 << 20, new FileInfo(Path.Combine(env.TreeOf(image), "two")).Length);
        Assert.Contains(proxy.Requests, r => r.Contains("Range: bytes=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_docker_io_pull_goes_to_the_first_mirror_that_answers()
    {
        RegistryRequirements.LoopbackRegistry();
        Requires.Root();
        (LocalRegistry registry, _) = await fixture.GetAsync();
        using var pusher = new TestImagePusher(registry.Address);
        TestImage built = TestImagePusher.Build([LayerFixtures.Base()]);
        await pusher.PushImageAsync("library/mirrored", "latest", [LayerFixtures.Base()], cancellationToken: Ct);
        int dead = ProcessTools.FreeLoopbackPort();
        using var env = new PullEnvironment(options: new Images.Pull.ImagePullerOptions
        {
            RegistryMirrors = [new Uri($"http://127.0.0.1:{dead}"), new Uri($"http://{registry.Address}")],
            TransferRetryDelay = TimeSpan.FromMilliseconds(10),
        });

        (ImageRecord image, List<Core.Progress.ProgressEvent> events) = await env.PullAsync("mirrored");

        Assert.Equal(built.ConfigDigest, image.Id);
        Assert.Equal(["mirrored:latest"], image.RepoTags);
        Assert.Equal("Status: Downloaded newer image for mirrored:latest", events[^1].Status);
        Assert.Equal("Pulling from library/mirrored", events[0].Status);
    }
}
