using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

public sealed class SpecNamespacePrescanTests
{
    [Fact]
    public void Reads_the_same_namespaces_as_the_full_parse_of_runc_config()
    {
        List<SpecNamespace>? prescanned = SpecNamespacePrescan.TryRead(RuncConfigFixture.Json);
        RuntimeSpec parsed = SpecLoader.Deserialize(RuncConfigFixture.Json);

        Assert.NotNull(prescanned);
        Assert.Equal(
            parsed.Linux!.Namespaces!.Select(n => (n.Type, n.Path)),
            prescanned.Select(n => (n.Type, n.Path)));
    }

    [Theory]
    [InlineData("""{"ociVersion": "1.2.0"}""")]
    [InlineData("""{"linux": null}""")]
    [InlineData("""{"linux": {"namespaces": null}}""")]
    [InlineData("""{"linux": {"cgroupsPath": "/x"}}""")]
    public void A_document_without_namespaces_has_none(string json)
    {
        Assert.Empty(SpecNamespacePrescan.TryRead(json)!);
    }

    [Fact]
    public void Paths_comments_trailing_commas_and_other_fields_are_read_like_the_serializer_does()
    {
        const string json = """
            {
              // a comment
              "process": {"args": ["sh"], "env": [{"nested": [1, 2]}]},
              "linux": {
                "resources": {"memory": {"limit": 1}},
                "namespaces": [
                  {"type": "pid"},
                  {"path": "/proc/1/ns/net", "type": "network"},
                  {"type": "mount", "extra": {"a": [true]}},
                ],
              },
            }
            """;

        List<SpecNamespace>? namespaces = SpecNamespacePrescan.TryRead(json);

        Assert.Equal(
            [("pid", null), ("network", "/proc/1/ns/net"), ("mount", null)],
            namespaces!.Select(n => (n.Type, n.Path)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"linux": {"namespaces": [{"type": "pid"}""")]
    [InlineData("""{"linux": {"namespaces": "pid"}}""")]
    [InlineData("""{"linux": {"namespaces": [{"type": 1}]}}""")]
    [InlineData("""{"linux": {"namespaces": [{"path": "/x"}]}}""")]
    [InlineData("""{"linux": {"namespaces": []}, "linux": {"namespaces": [{"type": "pid"}]}}""")]
    [InlineData("""{"linux": {"namespaces": [], "namespaces": [{"type": "pid"}]}}""")]
    [InlineData("""{"linux": {"namespaces": [{"type": "pid", "type": "uts"}]}}""")]
    public void Gives_up_on_anything_it_cannot_read_with_certainty(string json)
    {
        Assert.Null(SpecNamespacePrescan.TryRead(json));
    }
}
