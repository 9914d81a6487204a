using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Registry.Manifests;

namespace Berth.Registry.Tests.Manifests;

public sealed class PlatformSelectorTests
{
    private const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string C = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    private const string D = "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

    private static OciDescriptor Entry(string digest, string os, string arch, string? variant = null, IReadOnlyDictionary<string, string>? annotations = null) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = digest,
        Size = 100,
        Platform = new OciPlatform { OS = os, Architecture = arch, Variant = variant },
        Annotations = annotations,
    };

    private static readonly OciIndex Index = new()
    {
        SchemaVersion = 2,
        MediaType = MediaTypes.OciIndex,
        Manifests =
        [
            Entry(D, "unknown", "unknown", annotations: new Dictionary<string, string> { ["vnd.docker.reference.type"] = "attestation-manifest" }),
            Entry(A, "linux", "amd64"),
            Entry(B, "linux", "arm", "v6"),
            Entry(C, "linux", "arm", "v7"),
        ],
    };

    [Fact]
    public void The_entry_for_the_requested_platform_is_chosen() =>
        Assert.Equal(A, PlatformSelector.Select(Index, new Platform("linux", "amd64"), "x").Digest.ToString());

    [Fact]
    public void An_exact_variant_wins_over_other_variants() =>
        Assert.Equal(C, PlatformSelector.Select(Index, new Platform("linux", "arm", "v7"), "x").Digest.ToString());

    [Fact]
    public void Without_an_override_the_host_platform_is_used()
    {
        Platform host = Platform.Host;
        OciIndex index = new() { Manifests = [Entry(D, "unknown", "unknown"), Entry(A, host.OS, host.Architecture, host.Variant)] };

        Assert.Equal(A, PlatformSelector.Select(index, null, "x").Digest.ToString());
    }

    [Fact]
    public void Attestation_entries_are_never_selected()
    {
        OciIndex index = new() { Manifests = [Entry(D, "unknown", "unknown")] };

        var ex = Assert.Throws<BerthException>(() => PlatformSelector.Select(index, new Platform("unknown", "unknown"), "img:1"));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public void No_match_is_NotFound_naming_the_platform_like_Docker()
    {
        var ex = Assert.Throws<BerthException>(() => PlatformSelector.Select(Index, new Platform("linux", "s390x"), "busybox:latest"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("no matching manifest for linux/s390x in the manifest list entries of busybox:latest", ex.Message);
    }
}
