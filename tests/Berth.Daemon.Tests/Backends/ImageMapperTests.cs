using Berth.Api.Containers;
using Berth.Api.Images;
using Berth.Core.Content;
using Berth.Core.Images;
using Berth.Daemon.Backends;

namespace Berth.Daemon.Tests.Backends;

public sealed class ImageMapperTests
{
    private static readonly Digest Layer1 = Digest.Compute("one"u8);
    private static readonly Digest Layer2 = Digest.Compute("two"u8);

    private static ImageRecord Image() => new()
    {
        Id = Digest.Compute("config"u8),
        ManifestDigest = Digest.Compute("manifest"u8),
        RepoTags = ["busybox:latest"],
        RepoDigests = ["busybox@" + Digest.Compute("manifest"u8)],
        Created = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(5_000_000),
        Size = 4096,
        Architecture = "amd64",
        OS = "linux",
        DiffIds = [Layer1, Layer2],
        Pulled = new DateTimeOffset(2025, 6, 7, 8, 9, 10, TimeSpan.Zero),
        Config = new Core.Images.ImageConfig
        {
            Cmd = ["sh"],
            Env = ["PATH=/bin"],
            ExposedPorts = ["80/tcp"],
            Volumes = ["/data"],
            Labels = new Dictionary<string, string> { ["org.example"] = "berth" },
            StopSignal = "SIGQUIT",
        },
        History =
        [
            new ImageHistoryEntry { CreatedBy = "ADD rootfs", Created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) },
            new ImageHistoryEntry { CreatedBy = "CMD [\"sh\"]", EmptyLayer = true },
            new ImageHistoryEntry { CreatedBy = "RUN touch /x", Comment = "top" },
        ],
    };

    [Fact]
    public void A_summary_has_dockers_fixed_fields_and_unix_seconds()
    {
        ImageSummary summary = ImageMapper.ToSummary(Image());

        Assert.Equal(Image().Id.ToString(), summary.Id);
        Assert.StartsWith("sha256:", summary.Id, StringComparison.Ordinal);
        Assert.Equal("", summary.ParentId);
        Assert.Equal(-1, summary.SharedSize);
        Assert.Equal(-1, summary.Containers);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), summary.Created);
        Assert.Equal(4096, summary.Size);
        Assert.Equal(["busybox:latest"], summary.RepoTags);
        Assert.Equal("berth", summary.Labels!["org.example"]);
    }

    [Fact]
    public void Inspect_carries_config_rootfs_and_rfc3339_nano_times()
    {
        var driver = new GraphDriverData { Name = "overlay2" };

        ImageInspectResponse inspect = ImageMapper.ToInspect(Image(), driver);

        Assert.Equal("2024-01-02T03:04:05.5Z", inspect.Created);
        Assert.Equal("2025-06-07T08:09:10Z", inspect.Metadata.LastTagTime);
        Assert.Equal("layers", inspect.RootFS.Type);
        Assert.Equal([Layer1.ToString(), Layer2.ToString()], inspect.RootFS.Layers);
        Assert.Equal(["sh"], inspect.Config!.Cmd);
        Assert.True(inspect.Config.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.True(inspect.Config.Volumes!.ContainsKey("/data"));
        Assert.Equal("SIGQUIT", inspect.Config.StopSignal);
        Assert.Equal("amd64", inspect.Architecture);
        Assert.Equal("linux", inspect.Os);
        Assert.Same(driver, inspect.GraphDriver);
        Assert.Equal("top", inspect.Comment);
    }

    [Fact]
    public void History_is_newest_first_with_the_id_and_tags_on_top_and_sizes_per_layer()
    {
        IReadOnlyList<ImageHistoryItem> history = ImageMapper.ToHistory(Image(), [100, 20]);

        Assert.Equal(["RUN touch /x", "CMD [\"sh\"]", "ADD rootfs"], history.Select(h => h.CreatedBy));
        Assert.Equal(Image().Id.ToString(), history[0].Id);
        Assert.Equal(["busybox:latest"], history[0].Tags);
        Assert.All(history.Skip(1), h => Assert.Equal("<missing>", h.Id));
        Assert.Equal([20L, 0L, 100L], history.Select(h => h.Size));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), history[2].Created);
    }

    [Theory]
    [InlineData("busybox:latest", "busybox", true)]
    [InlineData("busybox:latest", "busybox:latest", true)]
    [InlineData("busybox:latest", "busy*", true)]
    [InlineData("busybox:latest", "busybox:1.36", false)]
    [InlineData("127.0.0.1:5000/library/busybox:latest", "*busybox", false)]
    [InlineData("127.0.0.1:5000/library/busybox:latest", "127.0.0.1:5000/*/busybox", true)]
    public void Reference_filters_glob_like_docker(string reference, string pattern, bool matches) =>
        Assert.Equal(matches, ImageFilters.ReferenceMatches(reference, pattern));

    [Theory]
    [InlineData("1.42", true)]
    [InlineData("1.43", false)]
    [InlineData("1.50", false)]
    public void Untagged_images_show_none_placeholders_only_before_api_1_43(string version, bool placeholders)
    {
        ImageSummary untagged = ImageMapper.ToSummary(Image() with { RepoTags = [], RepoDigests = [] });

        ImageSummary shown = ImageMapper.ForApiVersion(untagged, Http.ApiVersion.Parse(version));

        Assert.Equal(placeholders ? ["<none>:<none>"] : [], shown.RepoTags);
        Assert.Equal(placeholders ? ["<none>@<none>"] : [], shown.RepoDigests);
    }

    [Theory]
    [InlineData(null, "registry-1.docker.io")]
    [InlineData("https://index.docker.io/v1/", "registry-1.docker.io")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000/v2/", "127.0.0.1:5000")]
    public void Login_addresses_become_registry_hosts(string? address, string host) =>
        Assert.Equal(host, ImageBackend.LoginHost(address));
}
