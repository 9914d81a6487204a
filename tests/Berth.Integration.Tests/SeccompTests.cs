using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Runtime.Seccomp;
using Berth.Runtime.Spec;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>
/// linux.seccomp installed for real: the same bundle under runc and under the runtime under test, with the
/// default profile (and a small custom one). The container keeps CAP_SYS_ADMIN and CAP_SYS_CHROOT while the
/// profile is built without them, so every refusal below comes from the seccomp filter, not from missing
/// capabilities.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class SeccompTests
{
    private static readonly string[] ContainerCaps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN", "CAP_SYS_CHROOT"];

    [Fact]
    public async Task The_default_profile_is_installed_in_filter_mode_with_no_new_privileges()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => WithDefaultProfile(b).WithShell("grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status"));
        Assert.Equal("NoNewPrivs:\t1\nSeccomp:\t2\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task The_default_profile_refuses_namespaces_mounts_and_system_administration()
    {
        Requires.Root().Runc().Runtime().Busybox();
        const string Script =
            "try() { out=$(\"$@\" 2>&1); echo \"$1 rc=$? $(echo \"$out\" | grep -o 'Operation not permitted\\|permission denied' | head -n1)\"; }; " +
            "try unshare -U true; try unshare -m true; try unshare -n true; try mount -t tmpfs x /tmp; " +
            "try swapon /bin/busybox; try hostname other; try chroot / true; try umount /proc";
        var results = await Differential.RunBothAsync(b => WithDefaultProfile(b).WithShell(Script));
        Assert.Equal(
            "unshare rc=1 Operation not permitted\nunshare rc=1 Operation not permitted\nunshare rc=1 Operation not permitted\n" +
            "mount rc=1 permission denied\nswapon rc=1 Operation not permitted\nhostname rc=1 Operation not permitted\n" +
            "chroot rc=1 Operation not permitted\numount rc=1 Operation not permitted\n",
            results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task Without_the_profile_the_same_capabilities_do_allow_those_calls()
    {
        // The control for the test above: the refusals there are the filter's doing.
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b =>
        {
            WithProfile(b, DefaultSeccompProfile.Create()).Linux.AsObject().Remove("seccomp");
            b.WithShell("unshare -m true; echo unshare rc=$?; hostname other; echo hostname rc=$?; chroot / true; echo chroot rc=$?");
        });
        Assert.Equal("unshare rc=0\nhostname rc=0\nchroot rc=0\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task Ordinary_programs_work_under_the_default_profile()
    {
        Requires.Root().Runc().Runtime().Busybox();
        const string Script =
            "ls / >/dev/null && echo ls ok; echo $(seq 3); (echo subshell ok) ; sleep 0 & wait $! && echo background ok; " +
            "echo data > /tmp/f 2>/dev/null || echo data > /dev/shm/f; cat /dev/shm/f /tmp/f 2>/dev/null | head -n1; " +
            "id -u; date +%Y >/dev/null && echo date ok; sh -c 'exit 3'; echo child rc=$?";
        var results = await Differential.RunBothAsync(b => WithDefaultProfile(b).WithShell(Script));
        Assert.Equal(0, results.Runc.ExitCode);
        Assert.Equal("ls ok\n1 2 3\nsubshell ok\nbackground ok\ndata\n0\ndate ok\nchild rc=3\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    /// <summary>
    /// Calls busybox has no applet for, made by a static C probe (tests/payload/sysprobe.c): keyring calls and reboot
    /// are refused by the profile; ptrace of pid 1 (the runtime's init is outside reach) fails; ordinary calls pass.
    /// </summary>
    [Fact]
    public async Task Keyring_calls_and_ptrace_are_refused_under_the_default_profile()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b =>
        {
            BuildProbe(Path.Combine(b.RootfsPath, "bin", "sysprobe"));
            WithDefaultProfile(b).WithShell("sysprobe");
        });
        Assert.True(results.Runc.ExitCode == 0, results.Runc.ToString());
        string[] lines = results.Runc.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("keyctl 1", lines[0]);   // EPERM from the filter
        Assert.Equal("add_key 1", lines[1]);
        Assert.NotEqual("ptrace_outside 0", lines[2]);
        Assert.Equal("reboot 1", lines[3]);
        Assert.Equal("getpid 0", lines[4]);
        Differential.AssertSame(results);
    }

    private static void BuildProbe(string output)
    {
        string source = RepositoryPaths.Combine("tests", "payload", "sysprobe.c");
        using var gcc = System.Diagnostics.Process.Start("gcc", ["-static", "-O1", "-o", output, source])!;
        gcc.WaitForExit();
        Assert.True(gcc.ExitCode == 0, "gcc -static could not build the probe (libc6-dev needed)");
    }

    /// <summary>
    /// Networking under the profile: an HTTP server and wget over loopback inside the container's own network
    /// namespace (a createRuntime hook brings its lo up, as an engine's network setup would).
    /// </summary>
    [Fact]
    public async Task Wget_to_a_server_on_loopback_works_under_the_default_profile()
    {
        Requires.Root().Runc().Runtime().Busybox();
        const string Script =
            "mkdir -p /tmp/www && echo served > /tmp/www/x && httpd -p 127.0.0.1:8080 -h /tmp/www && sleep 0.3; " +
            "wget -q -O - http://127.0.0.1:8080/x";
        var results = await Differential.RunBothAsync(b => WithDefaultProfile(b).WithReadonlyRoot(false).WithShell(Script).Edit(c =>
            c["hooks"] = new JsonObject
            {
                ["createRuntime"] = new JsonArray(new JsonObject
                {
                    ["path"] = "/bin/sh",
                    ["args"] = new JsonArray("sh", "-c",
                        "read -r state; pid=$(echo \"$state\" | sed 's/.*\"pid\":\\([0-9]*\\).*/\\1/'); nsenter -t \"$pid\" -n ip link set lo up"),
                }),
            }));
        Assert.True(results.Runc.ExitCode == 0, results.Runc.ToString());
        Assert.Equal("served\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task A_custom_profile_returns_its_errnoRet()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var profile = new SpecSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            Syscalls = [new SpecSyscall { Names = ["mkdir", "mkdirat"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 13 }],
        };
        var results = await Differential.RunBothAsync(b => WithProfile(b, profile).WithShell("mkdir /dev/shm/d 2>&1; echo rc=$?"));
        Assert.Contains("Permission denied", results.Runc.Stdout, StringComparison.Ordinal);
        Differential.AssertSame(results);
    }

    private static BusyboxBundle WithDefaultProfile(BusyboxBundle bundle) => WithProfile(bundle, DefaultSeccompProfile.Create());

    private static BusyboxBundle WithProfile(BusyboxBundle bundle, SpecSeccomp profile)
    {
        JsonNode caps = new JsonArray([.. ContainerCaps.Select(c => JsonValue.Create(c))]);
        bundle.Process["noNewPrivileges"] = true;
        bundle.Process["capabilities"] = new JsonObject
        {
            ["bounding"] = caps.DeepClone(),
            ["effective"] = caps.DeepClone(),
            ["permitted"] = caps.DeepClone(),
        };
        bundle.Linux["seccomp"] = JsonNode.Parse(JsonSerializer.Serialize(profile, SpecJsonContext.Default.SpecSeccomp));
        return bundle;
    }
}
