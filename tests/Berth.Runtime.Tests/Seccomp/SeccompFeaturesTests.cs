using System.Text.Json.Nodes;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Seccomp;

public sealed class SeccompFeaturesTests
{
    [Fact]
    public void Features_advertise_what_the_compiler_supports()
    {
        JsonNode seccomp = JsonNode.Parse(RuntimeFeatures.ToJson())!["linux"]!["seccomp"]!;

        Assert.True(seccomp["enabled"]!.GetValue<bool>());
        Assert.Equal(
            ["SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"],
            Strings(seccomp["actions"]));
        Assert.Equal(
            ["SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"],
            Strings(seccomp["operators"]));
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64"], Strings(seccomp["archs"]));
        Assert.Equal(
            ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
            Strings(seccomp["knownFlags"]));
        Assert.Equal(Strings(seccomp["knownFlags"]), Strings(seccomp["supportedFlags"]));
    }

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];
}
