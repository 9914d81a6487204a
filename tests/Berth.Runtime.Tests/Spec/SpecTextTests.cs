using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Runtime.Seccomp;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

public sealed class SpecTextTests
{
    [Fact]
    public void Only_linux_seccomp_goes_and_every_other_value_stays_as_written()
    {
        string profile = JsonSerializer.Serialize(DefaultSeccompProfile.Create(), SpecJsonContext.Default.SpecSeccomp);
        string json = $$$"""
            {
              "ociVersion": "1.2.0",
              "process": {"args": ["sh", "-c", "echo \"hi\" \u00e9"], "cwd": "/", "env": ["A=1"]},
              "seccomp": {"top": "level stays"},
              "linux": {"namespaces": [{"type": "pid"}], "seccomp": {{{profile}}}, "maskedPaths": ["/proc/kcore"], "sysctl": {"a.b": "1"}},
              "annotations": {"x": "y"}
            }
            """;

        string trimmed = SpecText.WithoutSeccomp(json);

        JsonNode expected = JsonNode.Parse(json)!;
        expected["linux"]!.AsObject().Remove("seccomp");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(trimmed)), trimmed);
        Assert.Contains("""echo \"hi\" \u00e9""", trimmed, StringComparison.Ordinal);
        Assert.True(trimmed.Length < json.Length / 2);
        Assert.Equal(["sh", "-c", "echo \"hi\" é"], SpecLoader.Deserialize(trimmed).Process!.Args!);
    }

    [Theory]
    [InlineData("""{"ociVersion":"1.2.0","linux":{"namespaces":[]}}""")]
    [InlineData("""{"ociVersion":"1.2.0"}""")]
    [InlineData("""[1,2]""")]
    public void A_document_without_the_profile_comes_back_unchanged(string json)
    {
        Assert.Same(json, SpecText.WithoutSeccomp(json));
    }
}
