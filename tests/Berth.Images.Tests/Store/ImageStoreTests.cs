using System.Text;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Images.Store;

namespace Berth.Images.Tests.Store;

public sealed class ImageStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-imagestore-test-").FullName;
    private readonly FakeUsage _usage = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static ImageRecord Image(string seed) => new()
    {
        Id = Digest.Compute(Encoding.UTF8.GetBytes("config " + seed)),
        ManifestDigest = Digest.Compute(Encoding.UTF8.GetBytes("manifest " + seed)),
        DiffIds = [Digest.Compute(Encoding.UTF8.GetBytes("layer " + seed))],
        Architecture = "amd64",
        OS = "linux",
        Config = new ImageConfig { Cmd = ["sh"] },
    };

    private ImageStore Open() => new(_dir, _usage);

    private static ImageReference Ref(string s) => ImageReference.Parse(s);

    [Fact]
    public async Task Every_docker_lookup_form_finds_the_image()
    {
        using ImageStore store = Open();
        ImageRecord image = Image("a");
        Digest manifest = Digest.Compute("index"u8);
        await store.AddAsync(image, Ref("busybox"), $"busybox@{manifest}", Ct);

        foreach (string reference in new[]
                 {
                     "busybox", "busybox:latest", "docker.io/library/busybox:latest", "library/busybox",
                     image.Id.ToString(), image.Id.Encoded, image.Id.Encoded[..6], "sha256:" + image.Id.Encoded[..8],
                     $"busybox@{manifest}",
                 })
        {
            Assert.Equal(image.Id, (await store.FindAsync(reference, Ct))?.Id);
        }

        ImageRecord found = await store.GetAsync("busybox", Ct);
        Assert.Equal(["busybox:latest"], found.RepoTags);
        Assert.Equal([$"busybox@{manifest}"], found.RepoDigests);
        Assert.Null(await store.FindAsync("busybox:other", Ct));
    }

    [Fact]
    public async Task Unknown_references_say_no_such_image()
    {
        using ImageStore store = Open();

        BerthException e = await Assert.ThrowsAsync<BerthException>(() => store.GetAsync("nothing:here", Ct));

        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("No such image: nothing:here", e.Message);
    }

    [Fact]
    public async Task The_store_survives_reopening()
    {
        ImageRecord image = Image("persist") with { Created = DateTimeOffset.Parse("2024-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture) };
        using (ImageStore store = Open())
        {
            await store.AddAsync(image, Ref("app:v1"), null, Ct);
        }

        using ImageStore reopened = Open();
        ImageRecord found = await reopened.GetAsync("app:v1", Ct);

        Assert.Equal(image.Id, found.Id);
        Assert.Equal(image.DiffIds, found.DiffIds);
        Assert.Equal(image.Created, found.Created);
        Assert.Equal(["sh"], found.Config.Cmd);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public async Task A_tag_moves_to_the_newer_image_leaving_the_old_one_dangling()
    {
        using ImageStore store = Open();
        ImageRecord old = Image("old"), @new = Image("new");
        await store.AddAsync(old, Ref("app"), null, Ct);
        await store.AddAsync(@new, Ref("app"), null, Ct);

        Assert.Equal(@new.Id, (await store.GetAsync("app", Ct)).Id);
        Assert.Empty((await store.GetAsync(old.Id.ToString(), Ct)).RepoTags);

        IReadOnlyList<ImageRemoval> pruned = await store.PruneDanglingAsync(Ct);

        Assert.Equal([new ImageRemoval(null, old.Id.ToString())], pruned);
        Assert.Single(await store.ListAsync(Ct));
    }

    [Fact]
    public async Task Tag_adds_a_name_and_removing_one_of_two_tags_only_untags()
    {
        using ImageStore store = Open();
        ImageRecord image = Image("t");
        await store.AddAsync(image, Ref("app"), null, Ct);
        await store.TagAsync("app", "app:v2", Ct);

        IReadOnlyList<ImageRemoval> removed = await store.RemoveAsync("app:latest", force: false, cancellationToken: Ct);

        Assert.Equal([new ImageRemoval("app:latest", null)], removed);
        Assert.Equal(["app:v2"], (await store.GetAsync(image.Id.Encoded[..12], Ct)).RepoTags);
    }

    [Fact]
    public async Task Removing_the_last_tag_untags_the_digests_and_deletes_the_image()
    {
        using ImageStore store = Open();
        ImageRecord image = Image("last");
        Digest digest = Digest.Compute("m"u8);
        await store.AddAsync(image, Ref("app"), $"app@{digest}", Ct);

        IReadOnlyList<ImageRemoval> removed = await store.RemoveAsync("app", force: false, cancellationToken: Ct);

        Assert.Equal([new ImageRemoval("app:latest", null), new ImageRemoval($"app@{digest}", null), new ImageRemoval(null, image.Id.ToString())], removed);
        Assert.Empty(await store.ListAsync(Ct));
    }

    [Fact]
    public async Task Removal_refuses_while_a_container_uses_the_image_unless_forced()
    {
        using ImageStore store = Open();
        ImageRecord image = Image("used");
        await store.AddAsync(image, Ref("app"), null, Ct);
        _usage.Users[image.Id] = "c0ffee";
        string shortId = image.Id.Encoded[..12];

        BerthException byName = await Assert.ThrowsAsync<BerthException>(() => store.RemoveAsync("app", force: false, cancellationToken: Ct));
        BerthException byId = await Assert.ThrowsAsync<BerthException>(() => store.RemoveAsync(shortId, force: false, cancellationToken: Ct));

        Assert.Equal(ErrorKind.Conflict, byName.Kind);
        Assert.Equal($"conflict: unable to remove repository reference \"app\" (must force) - container c0ffee is using its referenced image {shortId}", byName.Message);
        Assert.Equal(ErrorKind.Conflict, byId.Kind);
        Assert.NotNull(await store.FindAsync("app", Ct));

        IReadOnlyList<ImageRemoval> forced = await store.RemoveAsync("app", force: true, cancellationToken: Ct);
        Assert.Equal([new ImageRemoval("app:latest", null)], forced);
        Assert.NotNull(await store.FindAsync(image.Id.ToString(), Ct));
    }

    [Fact]
    public async Task Deleting_by_id_an_image_in_several_repositories_must_be_forced()
    {
        using ImageStore store = Open();
        ImageRecord image = Image("multi");
        await store.AddAsync(image, Ref("one"), null, Ct);
        await store.TagAsync("one", "two", Ct);
        string shortId = image.Id.Encoded[..12];

        BerthException e = await Assert.ThrowsAsync<BerthException>(() => store.RemoveAsync(shortId, force: false, cancellationToken: Ct));
        IReadOnlyList<ImageRemoval> forced = await store.RemoveAsync(shortId, force: true, cancellationToken: Ct);

        Assert.Equal($"conflict: unable to delete {shortId} (must be forced) - image is referenced in multiple repositories", e.Message);
        Assert.Equal(3, forced.Count);
        Assert.Equal(new ImageRemoval(null, image.Id.ToString()), forced[^1]);
    }

    [Fact]
    public async Task Tagging_with_a_digest_is_refused()
    {
        using ImageStore store = Open();
        await store.AddAsync(Image("d"), Ref("app"), null, Ct);

        BerthException e = await Assert.ThrowsAsync<BerthException>(() => store.TagAsync("app", $"app@{Digest.Compute("x"u8)}", Ct));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    private sealed class FakeUsage : IImageUsage
    {
        public Dictionary<Digest, string> Users { get; } = [];

        public string? ContainerUsing(Digest imageId) => Users.GetValueOrDefault(imageId);
    }
}
