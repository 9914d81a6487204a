using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>
/// The same bundle and command under runc and under the runtime under test must give the same observable results.
/// Each test also pins what runc itself shows, so a broken harness cannot make two wrong answers agree.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class DifferentialTests
{
    private static readonly string[] KernelMounts = ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys"];

    [Fact]
    public async Task The_process_is_pid_1()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => b.WithShell("echo $$"));
        Assert.Equal("1\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task The_hostname_comes_from_the_config()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => b.WithHostname("berth-diff").WithArgs("hostname"));
        Assert.Equal("berth-diff\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task The_kernel_filesystems_are_mounted_with_the_same_types_and_flags()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => b.WithArgs("cat", "/proc/self/mountinfo"));
        string runc = NormalizeMountinfo(results.Runc.Stdout);
        Assert.Contains("/proc proc rw", runc, StringComparison.Ordinal);
        Assert.Contains("/sys sysfs ro", runc, StringComparison.Ordinal);
        Assert.Contains("/dev/pts devpts rw", runc, StringComparison.Ordinal);
        Differential.AssertSame(results, NormalizeMountinfo);
    }

    [Fact]
    public async Task The_same_device_nodes_are_present_in_dev()
    {
        Requires.Root().Runc().Runtime().Busybox();
        // Type and permissions, major:minor (hex), name and link target; no times or link counts.
        var results = await Differential.RunBothAsync(b => b.WithShell("for f in /dev/* /dev/.[!.]*; do [ -e \"$f\" ] || [ -L \"$f\" ] && stat -c '%A %t:%T %N' \"$f\"; done"));
        Assert.Contains("crw-rw-rw- 1:3 /dev/null\n", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.Contains("/dev/ptmx", results.Runc.Stdout, StringComparison.Ordinal);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task Masked_paths_read_as_empty()
    {
        Requires.Root().Runc().Runtime().Busybox();
        IReadOnlyList<string> masked = [];
        var results = await Differential.RunBothAsync(b =>
        {
            masked = b.MaskedPaths;
            b.WithShell("for p in \"$@\"; do if [ -d \"$p\" ]; then echo \"$p dir $(ls -A \"$p\" | wc -l)\"; " +
                "elif [ -e \"$p\" ]; then echo \"$p file $(head -c 64 \"$p\" 2>/dev/null | wc -c)\"; else echo \"$p absent\"; fi; done");
            b.Process["args"]!.AsArray().Add("sh");
            foreach (string p in b.MaskedPaths)
            {
                b.Process["args"]!.AsArray().Add(p);
            }
        });
        Assert.Contains("/proc/keys", masked);
        Assert.Contains("/proc/keys file 0", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(file|dir) [1-9]", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task Readonly_paths_are_read_only_mounts_and_refuse_writes()
    {
        Requires.Root().Runc().Runtime().Busybox();
        IReadOnlyList<string> readonlyPaths = [];
        var results = await Differential.RunBothAsync(b =>
        {
            readonlyPaths = b.ReadonlyPaths;
            // kernel.domainname is per UTS namespace: harmless even if the write went through.
            b.WithShell("cat /proc/self/mountinfo; if echo x 2>/dev/null > /proc/sys/kernel/domainname; then echo WRITE domainname ok; else echo WRITE domainname refused; fi");
        });
        Assert.Contains("/proc/sys", readonlyPaths);
        string Normalize(string output) => Differential.Lines(
            output.Split('\n').Where(l => l.StartsWith("WRITE", StringComparison.Ordinal))
                .Concat(ParseMountinfo(output).Where(m => readonlyPaths.Contains(m.MountPoint)).Select(m => $"{m.MountPoint} {m.ReadWrite}")));
        string runc = Normalize(results.Runc.Stdout);
        Assert.Contains("WRITE domainname refused", runc, StringComparison.Ordinal);
        Assert.Contains("/proc/sys ro", runc, StringComparison.Ordinal);
        Assert.DoesNotContain(" rw\n", runc, StringComparison.Ordinal);
        Differential.AssertSame(results, Normalize);
    }

    [Fact]
    public async Task User_group_and_additional_groups_apply()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => b.WithUser(BusyboxBundle.TestUid, BusyboxBundle.TestGid, 10, 1001).WithShell("id; id -u; id -g; id -G"));
        Assert.StartsWith("uid=1000(test) gid=1000(test)", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.Contains("10(wheel)", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.Contains("1001(extra)", results.Runc.Stdout, StringComparison.Ordinal);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task Rlimits_from_the_config_apply()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => b
            .WithRlimit("RLIMIT_NOFILE", 321, 654)
            .WithRlimit("RLIMIT_NPROC", 111, 222)
            .WithRlimit("RLIMIT_CORE", 0, 0)
            .WithRlimit("RLIMIT_STACK", 4 * 1024 * 1024, 8 * 1024 * 1024)
            .WithShell("echo nofile $(ulimit -Sn) $(ulimit -Hn); echo nproc $(ulimit -Su) $(ulimit -Hu); echo core $(ulimit -Sc) $(ulimit -Hc); echo stack $(ulimit -Ss) $(ulimit -Hs)"));
        Assert.Equal("nofile 321 654\nnproc 111 222\ncore 0 0\nstack 4096 8192\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task Sysctls_from_the_config_apply()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => b
            .WithSysctl("net.ipv4.ip_forward", "1")
            .WithSysctl("kernel.shm_rmid_forced", "1")
            .WithShell("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced"));
        Assert.Equal("1\n1\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task The_working_directory_comes_from_the_config()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => b.WithCwd("/tmp").WithArgs("pwd"));
        Assert.Equal("/tmp\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task The_environment_is_exactly_the_config_env()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => b
            .WithEnv("PATH=/bin", "FOO=bar baz", "EMPTY=", "TERM=dumb")
            .WithArgs("env"));
        string Sorted(string s) => Differential.Lines(s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Contains("FOO=bar baz\n", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.Contains("EMPTY=\n", results.Runc.Stdout, StringComparison.Ordinal);
        Differential.AssertSame(results, Sorted);
    }

    [Fact]
    public async Task The_exit_code_propagates()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await Differential.RunBothAsync(b => b.WithShell("exit 3"));
        Assert.Equal(3, results.Runc.ExitCode);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task A_process_killed_by_SIGKILL_exits_137()
    {
        Requires.Root().Runc().Runtime().Busybox();
        // pid 1 cannot be sent SIGKILL from inside its own namespace, so the shell kills a child shell and returns
        // its status: 128 + 9.
        var results = await Differential.RunBothAsync(b => b.WithShell("sh -c 'kill -9 $$'; exit $?"));
        Assert.Equal(137, results.Runc.ExitCode);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task A_container_killed_from_outside_exits_137()
    {
        Requires.Root().Runc().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sleep", "100");
        var codes = new List<int>();
        foreach (Func<RuntimeRunner> make in new Func<RuntimeRunner>[] { RuntimeRunner.Runc, RuntimeRunner.UnderTest })
        {
            using RuntimeRunner runner = make();
            Task<ProcessResult> run = runner.RunAsync(bundle, "killed");
            await runner.WaitForStatusAsync("killed", "running", exited: run);
            (await runner.KillAsync("killed", "KILL")).EnsureSuccess();
            ProcessResult result = await run;
            codes.Add(result.ExitCode);
        }

        Assert.Equal([137, 137], codes);
    }

    private static string NormalizeMountinfo(string mountinfo) => Differential.Lines(
        ParseMountinfo(mountinfo)
            .Where(m => KernelMounts.Contains(m.MountPoint))
            .Select(m => $"{m.MountPoint} {m.FsType} {m.ReadWrite} {m.Options}"));

    /// <summary>mountinfo fields: 5 = mount point, 6 = per-mount options; after "-": fs type, source, super options.</summary>
    private static IEnumerable<Mount> ParseMountinfo(string mountinfo) =>
        mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).Where(f => f.Length > 7 && Array.IndexOf(f, "-") > 5).Select(f =>
        {
            int sep = Array.IndexOf(f, "-");
            string[] options = f[5].Split(',');
            string flags = string.Join(',', options.Where(o => o is not ("ro" or "rw")).Order(StringComparer.Ordinal));
            return new Mount(f[4], f[sep + 1], options.Contains("ro") ? "ro" : "rw", flags);
        });

    private sealed record Mount(string MountPoint, string FsType, string ReadWrite, string Options);
}
