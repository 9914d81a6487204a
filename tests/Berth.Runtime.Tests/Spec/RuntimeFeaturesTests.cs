using System.Text.Json.Nodes;
using Berth.Runtime.Init;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

public sealed class RuntimeFeaturesTests
{
    private static readonly JsonObject Features = JsonNode.Parse(RuntimeFeatures.ToJson())!.AsObject();

    [Fact]
    public void Versions_come_first()
    {
        string json = RuntimeFeatures.ToJson();

        Assert.StartsWith("{\n  \"ociVersionMin\": \"1.0.0\",\n  \"ociVersionMax\": \"1.2.0\",", json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Hooks_are_the_six_spec_hooks()
    {
        Assert.Equal(
            ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"],
            Strings(Features["hooks"]));
    }

    [Fact]
    public void Mount_options_are_the_ones_MountOptions_handles()
    {
        string[] options = Strings(Features["mountOptions"]);

        Assert.Equal(MountOptions.Known, options);
        Assert.Equal(options.Order(StringComparer.Ordinal), options);
        Assert.Contains("rbind", options);
        Assert.Contains("rprivate", options);
        Assert.Contains("nosymfollow", options);
        Assert.DoesNotContain("idmap", options);
        Assert.DoesNotContain("tmpcopyup", options);
        Assert.All(options, o => Assert.False(MountOptions.Parse([o]).Data is not null, o));
    }

    [Fact]
    public void Linux_section_lists_namespaces_capabilities_and_cgroups()
    {
        JsonNode linux = Features["linux"]!;

        Assert.Equal(["pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"], Strings(linux["namespaces"]));
        Assert.Equal(Capabilities.All, Strings(linux["capabilities"]));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"v1": true, "v2": true, "systemd": false, "systemdUser": false}"""),
            linux["cgroup"]));
        Assert.True(linux["seccomp"]!["enabled"]!.GetValue<bool>());
        Assert.False(linux["apparmor"]!["enabled"]!.GetValue<bool>());
        Assert.False(linux["selinux"]!["enabled"]!.GetValue<bool>());
        Assert.False(linux["mountExtensions"]!["idmap"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Annotations_carry_the_runtime_version()
    {
        Assert.Equal("0.1.0", Features["annotations"]!["io.berth.runtime.version"]!.GetValue<string>());
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];
}
