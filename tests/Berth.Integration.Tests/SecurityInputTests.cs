using System.Text.Json.Nodes;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>Bad input of OCI runtime part 2: capabilities, id mappings, hooks. A clear error and nothing left behind.</summary>
[Trait("Category", "Privileged")]
public sealed class SecurityInputTests
{
    [Fact]
    public async Task A_malformed_capability_name_is_rejected_naming_it()
    {
        Requires.Root().Runtime().Busybox();
        await Rejections.AssertRejectedAsync(b => b.Process["capabilities"]!["bounding"]!.AsArray().Add("CAP_BOGUS"), mentions: "CAP_BOGUS");
    }

    [Fact]
    public async Task Overlapping_uid_mappings_are_rejected()
    {
        Requires.Root().Runtime().Busybox();
        await Rejections.AssertRejectedAsync(b => UserNamespaceTests.WithUserNamespace(b,
            uidMappings: [(0, 100000, 65536), (1000, 300000, 10)]), mentions: "uidMappings");
    }

    [Fact]
    public async Task A_mapping_beyond_the_id_range_is_rejected()
    {
        Requires.Root().Runtime().Busybox();
        await Rejections.AssertRejectedAsync(b => UserNamespaceTests.WithUserNamespace(b,
            uidMappings: [(0, 4294967000, 65536)]), mentions: "uidMappings");
    }

    [Fact]
    public async Task A_hook_binary_that_does_not_exist_fails_create_naming_it()
    {
        Requires.Root().Runtime().Busybox();
        await Rejections.AssertRejectedAsync(b => b.Config["hooks"] = new JsonObject
        {
            ["createRuntime"] = new JsonArray(new JsonObject { ["path"] = "/nonexistent/berth-hook" }),
        }, mentions: "/nonexistent/berth-hook");
    }

    [Fact]
    public async Task A_hook_that_times_out_fails_create()
    {
        Requires.Root().Runtime().Busybox();
        await Rejections.AssertRejectedAsync(b => b.Config["hooks"] = new JsonObject
        {
            ["createRuntime"] = new JsonArray(new JsonObject
            {
                ["path"] = "/bin/sleep",
                ["args"] = new JsonArray("sleep", "30"),
                ["timeout"] = 1,
            }),
        }, mentions: "timed out");
    }

    [Fact]
    public async Task An_unknown_syscall_name_in_a_seccomp_profile_is_ignored_like_runc()
    {
        Requires.Root().Runtime().Runc().Busybox();
        using var bundle = BusyboxBundle.Create().WithArgs("true").Edit(c => c["linux"]!["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["syscalls"] = new JsonArray(new JsonObject
            {
                ["names"] = new JsonArray("berth_no_such_syscall", "swapon"),
                ["action"] = "SCMP_ACT_ERRNO",
            }),
        });
        using RuntimeRunner berth = RuntimeRunner.UnderTest();
        using RuntimeRunner runc = RuntimeRunner.Runc();
        ProcessResult ours = await berth.RunAsync(bundle, "unknown-syscall");
        ProcessResult theirs = await runc.RunAsync(bundle, "unknown-syscall");
        Assert.Equal(0, theirs.ExitCode);
        Assert.True(ours.ExitCode == 0, $"berth-runtime refused a profile runc accepts: {ours}");
    }
}
