using System.Text;
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

        string trimmed = Encoding.UTF8.GetString(SpecText.WithoutSeccomp(Encoding.UTF8.GetBytes(json)));

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
        byte[] utf8 = Encoding.UTF8.GetBytes(json);

        Assert.Same(utf8, SpecText.WithoutSeccomp(utf8));
        Assert.Same(utf8, SpecText.ForInit(utf8, dropSeccomp: true));
    }

    [Fact]
    public void What_the_init_gets_is_one_line_of_strict_json_whatever_the_file_looked_like()
    {
        const string json = """
            {
              // written by hand
              "ociVersion": "1.2.0",
              "process": {"args": ["sh", "-c", "printf 'a\nb'"],},
              "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW"}, "namespaces": [{"type": "pid"}]}
            }
            """;

        foreach (bool dropSeccomp in new[] { true, false })
        {
            byte[] forInit = SpecText.ForInit(Encoding.UTF8.GetBytes(json), dropSeccomp);

            Assert.DoesNotContain((byte)'\n', forInit);
            using JsonDocument strict = JsonDocument.Parse(forInit);
            Assert.Equal("printf 'a\nb'", strict.RootElement.GetProperty("process").GetProperty("args")[2].GetString());
            Assert.Equal(!dropSeccomp, strict.RootElement.GetProperty("linux").TryGetProperty("seccomp", out _));
            Assert.Equal(["sh", "-c", "printf 'a\nb'"], SpecLoader.Deserialize(forInit).Process!.Args!);
        }
    }
}
