using System.Diagnostics;
using System.Globalization;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>cgroup limits are real: memory (OOM kill), pids (fork bomb contained), freezer (pause/resume).</summary>
[Trait("Category", "Privileged")]
public sealed class LimitsTests
{
    public static TheoryData<string> Runtimes => ["runc", "berth"];

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task A_container_over_its_memory_limit_is_OOM_killed_with_137(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox().CgroupV1("memory");
        using var bundle = BusyboxBundle.Create();
        // dd fills a 100 MiB buffer from /dev/zero: every page gets touched.
        bundle.WithMemoryLimit(32L << 20).WithArgs("dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1");
        using RuntimeRunner runner = Make(runtime);
        ProcessResult result = await runner.RunAsync(bundle, "oom");
        Assert.True(result.ExitCode == 137, $"expected 137 (SIGKILL by the OOM killer): {result}");
        if (runtime == "berth" && !RuntimeRunner.RuntimeUnderTestIsReferenceRuntime)
        {
            string said = result.Stderr + runner.ReadLog();
            Assert.True(said.Contains("oom", StringComparison.OrdinalIgnoreCase),
                $"berth-runtime should report the OOM kill on stderr or in --log:\n{result}\n--- log ---\n{runner.ReadLog()}");
        }
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task A_pids_limit_of_20_stops_a_fork_bomb_and_the_host_stays_responsive(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox().CgroupV1("pids");
        using var bundle = BusyboxBundle.Create();
        // busybox ash exits when a fork fails, so a child shell forks the sleeps (they outlive it, reparented to
        // pid 1); pid 1 counts with a glob and builtins (no fork needed at the limit), then execs a sleep to keep
        // the container up while the host is probed.
        bundle.WithPidsLimit(20).WithShell(
            "sh -c 'for i in $(seq 100); do sleep 5 & done' 2>/dev/null; set -- /proc/[0-9]*; echo procs=$#; exec sleep 3");
        using RuntimeRunner runner = Make(runtime);
        Task<ProcessResult> run = runner.RunAsync(bundle, "pids", TimeSpan.FromSeconds(60));
        await runner.WaitForStatusAsync("pids", "running", exited: run);
        await Task.Delay(500, TestContext.Current.CancellationToken);

        var stopwatch = Stopwatch.StartNew();
        ProcessResult host = await ChildProcess.RunAsync("/bin/true", [], TimeSpan.FromSeconds(10), cancellationToken: TestContext.Current.CancellationToken);
        stopwatch.Stop();
        Assert.Equal(0, host.ExitCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"a host command took {stopwatch.Elapsed} during the fork bomb");

        ProcessResult result = await run;
        string line = result.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("procs=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no count printed: {result}");
        int procs = int.Parse(line["procs=".Length..], CultureInfo.InvariantCulture);
        Assert.True(procs is > 1 and < 21, $"{procs} processes in a container limited to 20 pids: {result}");
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Pause_stops_CPU_time_and_resume_restarts_it(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox().CgroupV1("freezer");
        using var bundle = BusyboxBundle.Create();
        bundle.WithShell("while :; do :; done");
        using RuntimeRunner runner = Make(runtime);
        (await runner.CreateAsync(bundle, "busy")).EnsureSuccess();
        (await runner.StartAsync("busy")).EnsureSuccess();
        int pid = (await runner.WaitForStatusAsync("busy", "running")).Pid;

        long t0 = CpuTicks(pid);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        long t1 = CpuTicks(pid);
        Assert.True(t1 > t0, $"the busy loop did not run: {t0} -> {t1}");

        (await runner.PauseAsync("busy")).EnsureSuccess();
        Assert.Equal("paused", (await runner.StateAsync("busy")).Status);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        long p0 = CpuTicks(pid);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        long p1 = CpuTicks(pid);
        Assert.True(p1 == p0, $"CPU time grew while paused: {p0} -> {p1}");

        (await runner.ResumeAsync("busy")).EnsureSuccess();
        Assert.Equal("running", (await runner.StateAsync("busy")).Status);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        long r1 = CpuTicks(pid);
        Assert.True(r1 > p1 + 10, $"CPU time did not grow after resume: {p1} -> {r1}");

        (await runner.KillAsync("busy", "KILL")).EnsureSuccess();
        await runner.WaitForStatusAsync("busy", "stopped");
        (await runner.DeleteAsync("busy")).EnsureSuccess();
    }

    internal static RuntimeRunner Make(string runtime) => runtime == "runc" ? RuntimeRunner.Runc() : RuntimeRunner.UnderTest();

    /// <summary>utime + stime (fields 14 and 15 of /proc/PID/stat), in clock ticks.</summary>
    private static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
    }
}
