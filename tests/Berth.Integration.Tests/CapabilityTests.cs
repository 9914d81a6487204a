using System.Text.Json.Nodes;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>
/// process.capabilities (all five sets) and noNewPrivileges, differential against runc on the same bundles: the
/// capability, NoNewPrivs and Seccomp lines of /proc/self/status match, and a process without capabilities really
/// is refused what they guard. runc's own results are pinned too, so a broken harness cannot make two wrong answers
/// agree.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class CapabilityTests
{
    private const string StatusLines = "grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' /proc/self/status";

    /// <summary>Docker's default capability set (moby oci/caps/defaults.go).</summary>
    private static readonly string[] DockerDefaultCaps =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    public static TheoryData<string, string> Cases => new()
    {
        // runc spec: AUDIT_WRITE, KILL, NET_BIND_SERVICE (bits 29, 5, 10) in every set but inheritable/ambient as runc writes them.
        { "runc-default", "" },
        { "runc-default-nnp", "NoNewPrivs:\t1" },
        // bounding, effective and permitted as Docker sets them, no inheritable or ambient.
        { "docker-default", "CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb" },
        { "empty-root", "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nCapAmb:\t0000000000000000" },
        // uid 1000 keeps NET_BIND_SERVICE across execve only through the ambient set (with inheritable and permitted).
        { "uid-1000-ambient-net-bind", "CapInh:\t0000000000000400\nCapPrm:\t0000000000000400\nCapEff:\t0000000000000400\nCapBnd:\t0000000000000400\nCapAmb:\t0000000000000400" },
        { "uid-1000-no-ambient", "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapAmb:\t0000000000000000" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_capability_sets_NoNewPrivs_and_Seccomp_match_runc(string name, string runcMustShow)
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => Configure(b, name).WithShell(StatusLines), "caps");
        Assert.True(results.Runc.ExitCode == 0, results.Runc.ToString());
        Assert.Equal(7, results.Runc.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (string line in runcMustShow.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Contains(line + "\n", results.Runc.Stdout, StringComparison.Ordinal);
        }

        Differential.AssertSame(results);
    }

    [Fact]
    public async Task The_ambient_capability_lets_uid_1000_bind_port_80_and_its_absence_does_not()
    {
        Requires.Root().Runc().Runtime().Busybox();
        // nc either fails to bind at once or listens until timeout kills it.
        const string Script = "timeout 1 nc -l -p 80 >/dev/null 2>&1; rc=$?; [ $rc -eq 1 ] && echo bind-refused || echo bind-allowed";
        var allowed = await Differential.RunBothAsync(b => Configure(b, "uid-1000-ambient-net-bind").WithShell(Script), "bind");
        var refused = await Differential.RunBothAsync(b => Configure(b, "uid-1000-no-ambient").WithShell(Script), "bind");
        Assert.Equal("bind-allowed\n", allowed.Runc.Stdout);
        Assert.Equal("bind-refused\n", refused.Runc.Stdout);
        Differential.AssertSame(allowed);
        Differential.AssertSame(refused);
    }

    [Fact]
    public async Task A_process_with_no_capabilities_cannot_mount_set_the_hostname_chown_or_raise_its_capabilities()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => Configure(b, "empty-root").WithShell(PrivilegedScript), "nocaps");
        Assert.Equal(
            "mount rc=1 permission denied\n" +
            "hostname rc=1 Operation not permitted\n" +
            "setpriv-inh rc=1 Operation not permitted\n" +
            // busybox setpriv reports the failed PR_CAP_AMBIENT_RAISE but still runs the program: it runs without it.
            "setpriv-ambient rc=0 Operation not permitted\n" +
            "CapAmb:\t0000000000000000\n" +
            "chown rc=1 Operation not permitted\n" +
            "CapEff:\t0000000000000000\n",
            results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task The_same_calls_succeed_with_the_capabilities_that_guard_them()
    {
        // The control for the test above: the refusals there come from the missing capabilities.
        Requires.Root().Runc().Runtime().Busybox();
        string[] caps = ["CAP_SYS_ADMIN", "CAP_CHOWN", "CAP_SETPCAP"];
        var results = await Differential.RunBothAsync(b => WithCaps(Configure(b, "empty-root"), caps, caps, caps, caps, []).WithShell(
            "mount -t tmpfs x /mnt && echo mount ok; hostname other && echo hostname ok; " +
            "setpriv --inh-caps +sys_admin true && echo setpriv-inh ok; " +
            "touch /dev/shm/f && chown 1000 /dev/shm/f && echo chown ok"), "withcaps");
        Assert.Equal("mount ok\nhostname ok\nsetpriv-inh ok\nchown ok\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task An_exec_has_the_container_capabilities_and_cap_adds_to_them()
    {
        Requires.Root().Runc().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        Configure(bundle, "runc-default").WithArgs("sleep", "300");
        var outputs = new List<(string Init, string Exec, string ExecWithCap)>();
        foreach (Func<RuntimeRunner> make in new Func<RuntimeRunner>[] { RuntimeRunner.Runc, RuntimeRunner.UnderTest })
        {
            using RuntimeRunner runner = make();
            await runner.CreateAndStartAsync(bundle, "capexec");
            int init = (await runner.StateAsync("capexec")).Pid;
            string initStatus = Differential.Lines(File.ReadAllLines($"/proc/{init}/status").Where(l => l.StartsWith("Cap", StringComparison.Ordinal)));
            ProcessResult exec = (await runner.ExecInContainerAsync("capexec", [], ["sh", "-c", "grep ^Cap /proc/self/status"])).EnsureSuccess();
            ProcessResult withCap = (await runner.ExecInContainerAsync("capexec", ["--cap", "CAP_SYS_ADMIN"], ["sh", "-c", "grep ^Cap /proc/self/status"])).EnsureSuccess();
            outputs.Add((initStatus, exec.Stdout, withCap.Stdout));
            (await runner.DeleteAsync("capexec", force: true)).EnsureSuccess();
        }

        Assert.Equal(outputs[0].Init, outputs[0].Exec);
        // CAP_SYS_ADMIN is bit 21.
        Assert.Contains("CapEff:\t0000000020200420\n", outputs[0].ExecWithCap, StringComparison.Ordinal);
        Assert.Contains("CapBnd:\t0000000020200420\n", outputs[0].ExecWithCap, StringComparison.Ordinal);
        // runc >= 1.1.2 (CVE-2022-29162): --cap never reaches the inheritable set (nor so the ambient one).
        Assert.Contains("CapInh:\t0000000000000000\n", outputs[0].ExecWithCap, StringComparison.Ordinal);
        Assert.Equal(outputs[0].Init, outputs[1].Init);
        Assert.Equal(outputs[0].Exec, outputs[1].Exec);
        Assert.Equal(outputs[0].ExecWithCap, outputs[1].ExecWithCap);
    }

    // Each line: what was tried, its exit code, and the errno text if any. No insmod: this host's kernel has no module
    // support (init_module gives ENOSYS even to root), so CAP_SYS_MODULE cannot be observed here.
    private const string PrivilegedScript =
        "try() { what=$1; shift; out=$(\"$@\" 2>&1); rc=$?; echo \"$what rc=$rc $(echo \"$out\" | grep -o 'Operation not permitted\\|permission denied' | head -n1)\"; }; " +
        "try mount mount -t tmpfs x /mnt; " +
        "try hostname hostname other; " +
        "try setpriv-inh setpriv --inh-caps +sys_admin true; " +
        "try setpriv-ambient setpriv --ambient-caps +net_bind_service true; " +
        "setpriv --ambient-caps +net_bind_service grep ^CapAmb: /proc/self/status 2>/dev/null; " +
        "touch /dev/shm/f; try chown chown 1000 /dev/shm/f; " +
        "grep ^CapEff: /proc/self/status";

    private static BusyboxBundle Configure(BusyboxBundle bundle, string name)
    {
        Directory.CreateDirectory(Path.Combine(bundle.RootfsPath, "mnt"));
        switch (name)
        {
            case "runc-default":
                break;
            case "runc-default-nnp":
                bundle.Process["noNewPrivileges"] = true;
                break;
            case "docker-default":
                WithCaps(bundle, DockerDefaultCaps, DockerDefaultCaps, DockerDefaultCaps, [], []);
                break;
            case "empty-root":
                WithCaps(bundle, [], [], [], [], []);
                break;
            case "uid-1000-ambient-net-bind":
                string[] bind = ["CAP_NET_BIND_SERVICE"];
                WithCaps(bundle, bind, bind, bind, bind, bind).WithUser(BusyboxBundle.TestUid, BusyboxBundle.TestGid);
                break;
            case "uid-1000-no-ambient":
                string[] bound = ["CAP_NET_BIND_SERVICE"];
                WithCaps(bundle, bound, bound, bound, [], []).WithUser(BusyboxBundle.TestUid, BusyboxBundle.TestGid);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case");
        }

        return bundle;
    }

    private static BusyboxBundle WithCaps(BusyboxBundle bundle, string[] bounding, string[] effective, string[] permitted, string[] inheritable, string[] ambient)
    {
        static JsonArray Set(string[] caps) => new([.. caps.Select(c => (JsonNode?)JsonValue.Create(c))]);
        bundle.Process["capabilities"] = new JsonObject
        {
            ["bounding"] = Set(bounding),
            ["effective"] = Set(effective),
            ["permitted"] = Set(permitted),
            ["inheritable"] = Set(inheritable),
            ["ambient"] = Set(ambient),
        };
        return bundle;
    }
}
