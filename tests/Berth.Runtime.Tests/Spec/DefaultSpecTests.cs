using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Runtime.Seccomp;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

public sealed class DefaultSpecTests
{
    [Fact]
    public void Json_parses_back_and_validates_with_a_rootfs()
    {
        using var bundle = new TempBundle();
        bundle.WriteConfig(DefaultSpec.ToJson(DefaultSpec.Create()));

        RuntimeSpec spec = SpecLoader.Load(bundle.Dir);

        Assert.Equal("berth", spec.Hostname);
        Assert.Equal(Path.Combine(bundle.Dir, "rootfs"), SpecLoader.RootfsPath(spec, bundle.Dir));
    }

    [Fact]
    public void Content_matches_runc_spec_except_the_hostname_and_seccomp()
    {
        // runc's output is our fixture without the extras the fixture adds for round-trip coverage.
        JsonObject runc = JsonNode.Parse(RuncConfigFixture.Json)!.AsObject();
        runc["hostname"] = "berth";
        JsonObject linux = runc["linux"]!.AsObject();
        foreach (string extra in new[] { "uidMappings", "gidMappings", "sysctl", "cgroupsPath", "devices", "rootfsPropagation" })
        {
            linux.Remove(extra);
        }

        linux["resources"]!.AsObject().Remove("memory");
        linux["resources"]!.AsObject().Remove("pids");
        JsonArray namespaces = linux["namespaces"]!.AsArray();
        namespaces.RemoveAt(6);
        namespaces[1]!.AsObject().Remove("path");

        JsonNode ours = JsonNode.Parse(DefaultSpec.ToJson(DefaultSpec.Create()))!;
        ours["linux"]!.AsObject().Remove("seccomp");

        Assert.True(JsonNode.DeepEquals(runc, ours), ours.ToJsonString());
    }

    [Fact]
    public void Seccomp_is_the_default_profile_for_the_bounding_set()
    {
        using var bundle = new TempBundle();
        bundle.WriteConfig(DefaultSpec.ToJson(DefaultSpec.Create()));
        RuntimeSpec spec = SpecLoader.Load(bundle.Dir);
        string expected = JsonSerializer.Serialize(DefaultSeccompProfile.Create(["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]), SpecJsonContext.Default.SpecSeccomp);

        Assert.Equal(expected, JsonSerializer.Serialize(spec.Linux!.Seccomp, SpecJsonContext.Default.SpecSeccomp));
        Assert.Equal("SCMP_ACT_ERRNO", spec.Linux.Seccomp!.DefaultAction);
        Assert.Contains(spec.Linux.Seccomp.Syscalls!, s => s.Names.SequenceEqual(["clone3"]) && s.ErrnoRet == 38);
    }

    [Fact]
    public void Json_is_tab_indented_in_runc_field_order()
    {
        string json = DefaultSpec.ToJson(DefaultSpec.Create());

        Assert.StartsWith("{\n\t\"ociVersion\": \"1.2.0\",\n\t\"process\": {\n\t\t\"terminal\": true,", json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.True(json.IndexOf("\"resources\"", StringComparison.Ordinal) < json.IndexOf("\"namespaces\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_call_returns_an_independent_graph()
    {
        RuntimeSpec a = DefaultSpec.Create();
        RuntimeSpec b = DefaultSpec.Create();

        a.Process!.Capabilities!.Bounding!.Add("CAP_SYS_ADMIN");
        a.Mounts.Clear();

        Assert.Equal(3, b.Process!.Capabilities!.Bounding!.Count);
        Assert.Equal(3, b.Process.Capabilities.Effective!.Count);
        Assert.Equal(7, b.Mounts.Count);
    }
}
