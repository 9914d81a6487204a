using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Images.Archive;
using Berth.Images.Tests.Pull;
using Berth.Images.Tests.Push;
using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Registry;
using Berth.Testing.Snapshots;

namespace Berth.Images.Tests.Archive;

/// <summary>save and load against podman (its own root) and berth's own pull of the same busybox image.</summary>
[Trait("Category", "Privileged")]
public sealed class ImageArchiveTests(LocalRegistryFixture fixture) : IClassFixture<LocalRegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Save_output_loads_into_podman_with_the_same_image_id()
    {
        (LocalRegistry registry, BusyboxImage busybox) = await RequireAsync();
        using var env = new PullEnvironment();
        (ImageRecord image, _) = await env.PullAsync(busybox.Reference);
        string archive = Path.Combine(env.Root, "busybox.tar");
        await using (FileStream output = File.Create(archive))
        {
            await new ImageArchiveWriter(env.Content, env.Images, env.Root).SaveAsync([busybox.Reference], output, Ct);
        }

        await using PodmanEnvironment podman = await PodmanEnvironment.CreateAsync(registry);
        (await podman.PodmanAsync(["load", "-i", archive])).EnsureSuccess();
        ProcessResult images = (await podman.PodmanAsync(["images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"])).EnsureSuccess();

        Assert.Contains($"{image.Id.Encoded} {busybox.Reference}", images.Stdout.Replace("sha256:", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Berths_own_save_loads_back_with_the_same_id_and_tree()
    {
        (_, BusyboxImage busybox) = await RequireAsync();
        using var pulled = new PullEnvironment();
        (ImageRecord image, _) = await pulled.PullAsync(busybox.Reference);
        using var saved = new MemoryStream();
        await new ImageArchiveWriter(pulled.Content, pulled.Images, pulled.Root).SaveAsync([busybox.Reference], saved, Ct);
        saved.Position = 0;
        using var env = new PullEnvironment();

        (IReadOnlyList<ImageRecord> loaded, List<ProgressEvent> events) = await LoadAsync(env, saved);

        ImageRecord single = Assert.Single(loaded);
        Assert.Equal(image.Id, single.Id);
        Assert.Equal([busybox.Reference], single.RepoTags);
        Assert.Equal($"Loaded image: {busybox.Reference}", events[^1].Status);
        TreeSnapshot.Capture(env.TreeOf(single)).AssertSameAs(TreeSnapshot.Capture(pulled.TreeOf(image)));
    }

    [Theory]
    [InlineData("docker-archive")]
    [InlineData("oci-archive")]
    public async Task A_podman_save_loads_with_the_same_image_id_and_a_tree_identical_to_a_pull(string format)
    {
        (LocalRegistry registry, BusyboxImage busybox) = await RequireAsync();
        using var pulled = new PullEnvironment();
        (ImageRecord image, _) = await pulled.PullAsync(busybox.Reference);
        await using PodmanEnvironment podman = await PodmanEnvironment.CreateAsync(registry);
        (await podman.PodmanAsync(["pull", "--quiet", "--tls-verify=false", busybox.Reference])).EnsureSuccess();
        string archive = Path.Combine(pulled.Root, $"podman-{format}.tar");
        (await podman.PodmanAsync(["save", "--format", format, "-o", archive, busybox.Reference])).EnsureSuccess();
        string podmanId = (await podman.PodmanAsync(["images", "--no-trunc", "--format", "{{.ID}}", busybox.Reference])).EnsureSuccess().Stdout.Trim();
        using var env = new PullEnvironment();

        (IReadOnlyList<ImageRecord> loaded, _) = await LoadAsync(env, File.OpenRead(archive));

        ImageRecord single = Assert.Single(loaded);
        Assert.Equal(podmanId.Replace("sha256:", "", StringComparison.Ordinal), single.Id.Encoded);
        Assert.Equal(image.DiffIds, single.DiffIds);
        TreeSnapshot.Capture(env.TreeOf(single)).AssertSameAs(TreeSnapshot.Capture(pulled.TreeOf(image)));
    }

    [Fact]
    public async Task An_old_style_docker_archive_with_layer_dirs_and_a_symlinked_layer_loads_and_pushes_to_a_registry()
    {
        (LocalRegistry registry, _) = await RequireAsync();
        byte[] base_ = LayerFixtures.Base();
        byte[] top = LayerFixtures.Top();
        TestImage built = TestImagePusher.Build([base_, top, base_], TestImagePusher.Compression.None);
        using var archive = new MemoryStream();
        await using (var tar = new System.Formats.Tar.TarWriter(archive, leaveOpen: true))
        {
            await WriteAsync(tar, "manifest.json", System.Text.Encoding.UTF8.GetBytes(
                $$"""[{"Config":"{{built.ConfigDigest.Encoded}}.json","RepoTags":["old/style:v1"],"Layers":["aaa/layer.tar","bbb/layer.tar","ccc/layer.tar"]}]"""));
            await WriteAsync(tar, $"{built.ConfigDigest.Encoded}.json", built.Blobs[built.ConfigDigest]);
            await WriteAsync(tar, "aaa/layer.tar", base_);
            await WriteAsync(tar, "bbb/layer.tar", top);
            await tar.WriteEntryAsync(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "ccc/layer.tar") { LinkName = "../aaa/layer.tar" }, Ct);
        }

        archive.Position = 0;
        using var env = new PullEnvironment();

        (IReadOnlyList<ImageRecord> loaded, List<ProgressEvent> events) = await LoadAsync(env, archive);

        ImageRecord image = Assert.Single(loaded);
        Assert.Equal(built.ConfigDigest, image.Id);
        Assert.Equal(["old/style:v1"], image.RepoTags);
        Assert.Equal("Loaded image: old/style:v1", events[^1].Status);
        Assert.Equal(3, image.Layers.Count);
        Assert.All(image.Layers, l => Assert.True(env.Content.ExistsAsync(l.Digest, Ct).Result));
        Assert.True(File.Exists(Path.Combine(env.TreeOf(image), "srv", "data")));

        string target = $"{registry.Address}/old/style:v1";
        await env.Images.TagAsync("old/style:v1", target, Ct);
        Digest pushed = await new Berth.Images.Push.ImagePusher(env.Client, env.Content, env.Images).PushAsync(ImageReference.Parse(target), null, Ct);
        ProcessResult inspect = (await ChildProcess.RunAsync("skopeo", ["inspect", "--tls-verify=false", $"docker://{target}"], cancellationToken: Ct)).EnsureSuccess();
        Assert.Equal(image.ManifestDigest, pushed);
        Assert.Contains(pushed.ToString(), inspect.Stdout, StringComparison.Ordinal);
    }

    private static async Task WriteAsync(System.Formats.Tar.TarWriter tar, string name, byte[] bytes) =>
        await tar.WriteEntryAsync(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) }, Ct);

    [Fact]
    public async Task An_archive_without_a_manifest_is_refused_and_leaves_no_image()
    {
        Requires.Root();
        using var env = new PullEnvironment();
        using var empty = new MemoryStream();
        await using (var tar = new System.Formats.Tar.TarWriter(empty, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream("hi"u8.ToArray()),
            }, Ct);
        }

        empty.Position = 0;
        BerthException error = await Assert.ThrowsAsync<BerthException>(() => LoadAsync(env, empty));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Empty(await env.Images.ListAsync(Ct));
    }

    [Fact]
    public async Task Saving_a_missing_image_fails_before_writing()
    {
        using var env = new PullEnvironment();
        using var output = new MemoryStream();

        BerthException error = await Assert.ThrowsAsync<BerthException>(() =>
            new ImageArchiveWriter(env.Content, env.Images, env.Root).SaveAsync(["nothing:here"], output, Ct));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal(0, output.Length);
    }

    private async Task<(LocalRegistry, BusyboxImage)> RequireAsync()
    {
        RegistryRequirements.LoopbackRegistry();
        Requires.Root();
        return await fixture.GetAsync();
    }

    private static async Task<(IReadOnlyList<ImageRecord> Loaded, List<ProgressEvent> Events)> LoadAsync(PullEnvironment env, Stream input)
    {
        var events = new List<ProgressEvent>();
        await using (input)
        {
            IReadOnlyList<ImageRecord> loaded = await new ImageArchiveLoader(env.Content, env.Snapshots, env.Images, env.Root).LoadAsync(input, new ListProgress(events), Ct);
            return (loaded, events);
        }
    }
}
