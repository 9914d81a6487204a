using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>
/// <c>exec</c> into a running container (its process is <c>sleep 300</c>): the new process joins the container's
/// namespaces and cgroups, is held to its limits, and its exit code, user, env and cwd follow the flags or a
/// process.json. Differential tests run the same bundle and exec under runc and under the runtime under test;
/// the theories run one runtime at a time and check the host side.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class ExecTests
{
    private const string Hostname = "berth-exec";
    private static readonly string[] Namespaces = ["mnt", "uts", "ipc", "pid", "net"];

    public static TheoryData<string> Runtimes => ["runc", "berth"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_exec_sees_the_container_pid_namespace_hostname_mounts_and_cgroups()
    {
        Requires.Root().Runc().Runtime().Busybox();
        string cgroupName = "";
        const string Script =
            "[ $$ -gt 1 ] && echo own-pid-above-1; " +
            "echo \"pid1=$(tr '\\0' ' ' < /proc/1/cmdline)\"; " +
            "hostname; " +
            "echo mounts=$(grep -c . /proc/self/mountinfo); " +
            "cmp -s /proc/self/mountinfo /proc/1/mountinfo && echo same-mountinfo-as-pid-1; " +
            "for n in mnt uts ipc pid net; do [ \"$(readlink /proc/self/ns/$n)\" = \"$(readlink /proc/1/ns/$n)\" ] && echo $n-shared; done; " +
            "cmp -s /proc/self/cgroup /proc/1/cgroup && echo same-cgroups-as-pid-1; " +
            "cat /proc/self/cgroup";
        var results = await ExecBothAsync(b => cgroupName = b.WithHostname(Hostname).CgroupName, [], ["sh", "-c", Script]);

        string runc = results.Runc.Stdout;
        Assert.True(results.Runc.ExitCode == 0, results.Runc.ToString());
        Assert.StartsWith($"own-pid-above-1\npid1=sleep 300 \n{Hostname}\nmounts=", runc, StringComparison.Ordinal);
        Assert.Contains("\nsame-mountinfo-as-pid-1\nmnt-shared\nuts-shared\nipc-shared\npid-shared\nnet-shared\nsame-cgroups-as-pid-1\n", runc, StringComparison.Ordinal);
        Assert.Contains($":pids:/{cgroupName}\n", runc, StringComparison.Ordinal);
        // Where the init itself is placed in the named systemd and the (empty) unified hierarchies of this hybrid host
        // is not exec's business (it only has to match the init's, checked above): compare the controller lines.
        static string ControllerLines(string output) => Differential.Lines(
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains(":name=", StringComparison.Ordinal) && !l.StartsWith("0::", StringComparison.Ordinal)));
        Differential.AssertSame(results, ControllerLines);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task An_exec_is_held_to_the_container_pids_limit(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox().CgroupV1("pids");
        using var bundle = BusyboxBundle.Create();
        // 20, not 5: runc's own `runc init` (a Go program) needs several threads inside the cgroup to exec at all.
        bundle.WithPidsLimit(20).WithArgs("sleep", "300");
        using RuntimeRunner runner = Make(runtime);
        await runner.CreateAndStartAsync(bundle, "pids");

        // A child ash gives up ("can't fork") at the first fork the pids controller refuses; the exec'd shell then
        // counts the container's processes with a glob (no fork needed at the limit).
        ProcessResult exec = await runner.ExecInContainerAsync("pids", [], ["sh", "-c",
            "sh -c 'i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done; echo all-forked'; set -- /proc/[0-9]*; echo procs=$#"]);
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.DoesNotContain("all-forked", exec.Stdout, StringComparison.Ordinal);
        Assert.Contains("can't fork", exec.Stderr, StringComparison.Ordinal);
        string line = exec.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("procs=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no count printed: {exec}");
        int procs = int.Parse(line["procs=".Length..], CultureInfo.InvariantCulture);
        // More than the init and the exec'd shell: the sleeps were forked in the container's pid namespace.
        Assert.True(procs is > 2 and <= 20, $"{procs} processes in a container limited to 20 pids: {exec}");

        string current = (await File.ReadAllTextAsync(Path.Combine("/sys/fs/cgroup/pids", bundle.CgroupName, "pids.current"), Ct)).Trim();
        Assert.True(int.Parse(current, CultureInfo.InvariantCulture) <= 20, $"pids.current = {current} with a limit of 20");
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task An_exec_is_held_to_the_container_memory_limit(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox().CgroupV1("memory");
        using var bundle = BusyboxBundle.Create();
        bundle.WithMemoryLimit(32L << 20).WithArgs("sleep", "300");
        using RuntimeRunner runner = Make(runtime);
        await runner.CreateAndStartAsync(bundle, "mem");

        ProcessResult small = await runner.ExecInContainerAsync("mem", [], ["dd", "if=/dev/zero", "of=/dev/null", "bs=1M", "count=1"]);
        Assert.True(small.ExitCode == 0, $"a 1 MiB buffer under a 32 MiB limit: {small}");
        // dd touches every page of a 100 MiB buffer: the OOM killer ends it, and the container's init survives.
        ProcessResult big = await runner.ExecInContainerAsync("mem", [], ["dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1"]);
        Assert.True(big.ExitCode == 137, $"expected 137 (SIGKILL by the OOM killer): {big}");
        Assert.Equal("running", (await runner.StateAsync("mem")).Status);
    }

    [Fact]
    public async Task The_exit_code_of_an_exec_propagates()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await ExecBothAsync(_ => { }, [], ["sh", "-c", "echo out; echo err >&2; exit 7"]);
        Assert.Equal(7, results.Runc.ExitCode);
        Assert.Equal("out\n", results.Runc.Stdout);
        Assert.Equal(7, results.Berth.ExitCode);
        Assert.Contains("err\n", results.Berth.Stderr, StringComparison.Ordinal);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task An_exec_as_another_user_runs_with_that_uid_and_gid()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await ExecBothAsync(_ => { }, ["-u", "1000:1000"], ["sh", "-c", "id; id -u; id -g; grep -E '^(Uid|Gid):' /proc/self/status"]);
        Assert.StartsWith("uid=1000(test) gid=1000(test)", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n1000\n1000\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n", results.Runc.Stdout, StringComparison.Ordinal);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task An_exec_with_additional_groups_has_them()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await ExecBothAsync(_ => { }, ["-u", "1000:1000", "-g", "10", "-g", "1001"], ["id"]);
        Assert.StartsWith("uid=1000(test) gid=1000(test)", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.Contains("10(wheel)", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.Contains("1001(extra)", results.Runc.Stdout, StringComparison.Ordinal);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task An_exec_gets_the_container_env_plus_the_env_flags()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await ExecBothAsync(b => b.WithEnv("PATH=/bin", "FROM_CONFIG=1"), ["-e", "FOO=bar", "-e", "SPACED=a b"], ["env"]);
        string Sorted(string s) => Differential.Lines(s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Contains("FOO=bar\n", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.Contains("SPACED=a b\n", results.Runc.Stdout, StringComparison.Ordinal);
        Assert.Contains("FROM_CONFIG=1\n", results.Runc.Stdout, StringComparison.Ordinal);
        Differential.AssertSame(results, Sorted);
    }

    [Fact]
    public async Task An_exec_runs_in_the_cwd_flag_directory()
    {
        Requires.Root().Runc().Runtime().Busybox();
        var results = await ExecBothAsync(_ => { }, ["--cwd", "/tmp"], ["pwd"]);
        Assert.Equal("/tmp\n", results.Runc.Stdout);
        Differential.AssertSame(results);
    }

    [Fact]
    public async Task An_exec_from_a_process_json_uses_its_args_env_cwd_and_user()
    {
        // containerd's way: exec --process FILE ID, with the whole process object in FILE.
        Requires.Root().Runc().Runtime().Busybox();
        string? processFile = null;
        try
        {
            var results = await ExecBothAsync(
                b =>
                {
                    JsonNode process = b.Process.DeepClone();
                    process["args"] = new JsonArray("sh", "-c", "echo $FOO; id -u; id -g; pwd; [ -t 0 ] && echo tty || echo no-tty");
                    process["env"] = new JsonArray("PATH=/bin", "FOO=from-process-json");
                    process["cwd"] = "/home/test";
                    process["user"] = new JsonObject { ["uid"] = BusyboxBundle.TestUid, ["gid"] = BusyboxBundle.TestGid };
                    process["terminal"] = false;
                    processFile = Path.Combine(Path.GetTempPath(), $"berth-process-{Guid.NewGuid():N}.json");
                    File.WriteAllText(processFile, process.ToJsonString());
                },
                () => ["--process", processFile!],
                []);
            Assert.Equal("from-process-json\n1000\n1000\n/home/test\nno-tty\n", results.Runc.Stdout);
            Differential.AssertSame(results);
        }
        finally
        {
            if (processFile is not null)
            {
                File.Delete(processFile);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task A_detached_exec_writes_its_host_pid_and_the_process_is_inside_the_container(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sleep", "300");
        using RuntimeRunner runner = Make(runtime);
        await runner.CreateAndStartAsync(bundle, "detach");
        int init = (await runner.StateAsync("detach")).Pid;
        string pidFile = Path.Combine(bundle.Path, "exec.pid");

        ProcessResult exec = await runner.ExecInContainerAsync("detach", ["--detach", "--pid-file", pidFile], ["sleep", "123"], TimeSpan.FromSeconds(20));
        exec.EnsureSuccess();
        Assert.True(File.Exists(pidFile), $"no pid file after a detached exec: {exec}");
        int pid = int.Parse((await File.ReadAllTextAsync(pidFile, Ct)).Trim(), CultureInfo.InvariantCulture);
        Assert.NotEqual(init, pid);

        // The process is still running after the runtime returned, and it is the exec'd command.
        Assert.Equal("sleep\0123\0", await File.ReadAllTextAsync($"/proc/{pid}/cmdline", Ct));
        foreach (string ns in Namespaces)
        {
            Assert.True(
                new FileInfo($"/proc/{pid}/ns/{ns}").LinkTarget == new FileInfo($"/proc/{init}/ns/{ns}").LinkTarget,
                $"{ns}: exec'd {new FileInfo($"/proc/{pid}/ns/{ns}").LinkTarget}, init {new FileInfo($"/proc/{init}/ns/{ns}").LinkTarget}");
        }

        Assert.Equal(await File.ReadAllTextAsync($"/proc/{init}/cgroup", Ct), await File.ReadAllTextAsync($"/proc/{pid}/cgroup", Ct));
        Assert.Equal("running", (await runner.StateAsync("detach")).Status);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task An_exec_into_a_stopped_container_fails_clearly(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("true");
        using RuntimeRunner runner = Make(runtime);
        await runner.CreateAndStartAsync(bundle, "stopped");
        await runner.WaitForStatusAsync("stopped", "stopped");

        ProcessResult exec = await runner.ExecInContainerAsync("stopped", [], ["echo", "should-not-run"], TimeSpan.FromSeconds(20));
        Assert.True(exec.ExitCode != 0, $"exec into a stopped container succeeded: {exec}");
        Assert.DoesNotContain("should-not-run", exec.Stdout, StringComparison.Ordinal);
        string said = exec.Stderr + runner.ReadLog();
        Assert.True(said.Contains("stopped", StringComparison.OrdinalIgnoreCase), $"the error does not say the container is stopped: {exec}\n--- log ---\n{runner.ReadLog()}");
        Assert.Equal("stopped", (await runner.StateAsync("stopped")).Status);
        (await runner.DeleteAsync("stopped")).EnsureSuccess();
    }

    [Fact]
    public async Task An_exec_into_a_container_that_does_not_exist_fails_clearly()
    {
        Requires.Root().Runtime().Busybox();
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        ProcessResult exec = await runner.ExecInContainerAsync("no-such-container", [], ["true"]);
        Assert.True(exec.ExitCode != 0, exec.ToString());
        string said = exec.Stderr + runner.ReadLog();
        Assert.True(said.Contains("not exist", StringComparison.OrdinalIgnoreCase) || said.Contains("not found", StringComparison.OrdinalIgnoreCase),
            $"the error does not say the container is missing: {exec}\n--- log ---\n{runner.ReadLog()}");
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Execs_leave_nothing_behind_after_delete(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sleep", "300");
        using RuntimeRunner runner = Make(runtime);
        var leaks = LeakCheck.Start(runner);
        await runner.CreateAndStartAsync(bundle, "clean");
        for (int i = 0; i < 5; i++)
        {
            (await runner.ExecInContainerAsync("clean", [], ["true"])).EnsureSuccess();
        }

        (await runner.ExecInContainerAsync("clean", ["--detach"], ["sleep", "200"])).EnsureSuccess();
        (await runner.DeleteAsync("clean", force: true)).EnsureSuccess();
        bundle.RemoveOwnCgroups();
        leaks.AssertNoLeaks();
    }

    private static RuntimeRunner Make(string runtime) => runtime == "runc" ? RuntimeRunner.Runc() : RuntimeRunner.UnderTest();

    private static Task<(ProcessResult Runc, ProcessResult Berth)> ExecBothAsync(Action<BusyboxBundle> configure, string[] options, string[] command) =>
        ExecBothAsync(configure, () => options, command);

    /// <summary>
    /// The same bundle (its process <c>sleep 300</c>, then <paramref name="configure"/>) created and started under
    /// runc and then under the runtime under test, and the same exec into each.
    /// </summary>
    private static async Task<(ProcessResult Runc, ProcessResult Berth)> ExecBothAsync(Action<BusyboxBundle> configure, Func<string[]> options, string[] command)
    {
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sleep", "300");
        configure(bundle);
        var results = new List<ProcessResult>();
        foreach (Func<RuntimeRunner> make in new Func<RuntimeRunner>[] { RuntimeRunner.Runc, RuntimeRunner.UnderTest })
        {
            using RuntimeRunner runner = make();
            await runner.CreateAndStartAsync(bundle, "exec");
            results.Add(await runner.ExecInContainerAsync("exec", options(), command));
            (await runner.DeleteAsync("exec", force: true)).EnsureSuccess();
        }

        return (results[0], results[1]);
    }
}
