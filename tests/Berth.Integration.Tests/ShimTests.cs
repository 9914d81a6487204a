using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Runtime.Shim;
using Berth.Runtime.Spec;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>
/// <c>berth-runtime shim</c> driven through <see cref="ShimClient"/> as the daemon drives it: log file, attach (pipes
/// and pty), exec, kill/wait, a launcher killed with SIGKILL, an exit nobody watched, and delete leaving nothing.
/// </summary>
[Trait("Category", "Privileged")]
public sealed partial class ShimTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-shim-it-").FullName;
    private readonly CancellationTokenSource _timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public ShimTests() => _timeout.CancelAfter(TimeSpan.FromSeconds(60));

    /// <summary>The test process's first socket and child process load assemblies (held open as fds) and an epoll fd.</summary>
    private const int FdTolerance = 48;

    private CancellationToken Ct => _timeout.Token;

    private string StateDir => Path.Combine(_dir, "state");

    private string LogPath => Path.Combine(_dir, "ctr-json.log");

    [Fact]
    public async Task Output_lands_in_the_json_log_in_dockers_format_and_delete_leaves_nothing()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithShell("echo out-line; echo err-line >&2; printf 'no-newline'");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        ShimClient shim = await LaunchAsync(bundle, runner, "logs");
        Assert.Equal(ShimState.Created, (await shim.StateAsync(cancellationToken: Ct)).Status);
        ShimState started = await shim.StartAsync(Ct);
        Assert.Equal(ShimState.Running, started.Status);
        ShimState exited = await shim.WaitAsync(cancellationToken: Ct);
        Assert.Equal((ShimState.Stopped, 0, false), (exited.Status, exited.ExitCode, exited.OomKilled));
        Assert.NotNull(exited.FinishedAt);

        string[] lines = File.ReadAllLines(LogPath);
        Assert.Equal(3, lines.Length);
        Assert.Matches(LogLine(), lines[0]);
        Assert.Equal(("out-line\n", "stdout"), Record(lines.Single(l => l.Contains("out-line", StringComparison.Ordinal))));
        Assert.Equal(("err-line\n", "stderr"), Record(lines.Single(l => l.Contains("err-line", StringComparison.Ordinal))));
        Assert.Equal(("no-newline", "stdout"), Record(lines[2]));
        Assert.Equal(0, ShimClient.ReadExitFile(StateDir)!.ExitCode);

        await shim.DeleteAsync(cancellationToken: Ct);
        await WaitGoneAsync(StateDir);
        leaks.AssertNoLeaks(FdTolerance);
    }

    [Fact]
    public async Task Attach_streams_live_output_in_docker_frames_and_feeds_stdin()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithShell("echo ready; cat; echo cat-done >&2");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        ShimClient shim = await LaunchAsync(bundle, runner, "attach", openStdin: true);
        await using (ShimStream stream = await shim.AttachAsync(new ShimAttachOptions { Stdin = true, CloseStdinOnEof = true }, Ct))
        {
            Assert.False(stream.State.Tty);
            await shim.StartAsync(Ct);
            Assert.Equal((StreamFrame.Stdout, "ready\n"), await ReadFrameAsync(stream));
            await stream.WriteAsync("hello shim\n"u8.ToArray(), Ct);
            Assert.Equal((StreamFrame.Stdout, "hello shim\n"), await ReadFrameAsync(stream));
            stream.CompleteWrites();
            Assert.Equal((StreamFrame.Stderr, "cat-done\n"), await ReadFrameAsync(stream));
            Assert.Equal(0, await stream.ReadAsync(new byte[1], Ct)); // the stream ends with the process
        }

        Assert.Equal(0, (await shim.WaitAsync(cancellationToken: Ct)).ExitCode);
        Assert.Contains("{\"log\":\"hello shim\\n\",\"stream\":\"stdout\"", File.ReadAllText(LogPath), StringComparison.Ordinal);
        await shim.DeleteAsync(cancellationToken: Ct);
        await WaitGoneAsync(StateDir);
        leaks.AssertNoLeaks(FdTolerance);
    }

    [Fact]
    public async Task A_tty_container_is_attached_raw_through_its_pty_and_follows_resizes()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sh").WithEnv("PATH=/bin", "TERM=xterm", "PS1=shim-prompt$ ");
        bundle.Process["terminal"] = true;
        bundle.Save();
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        ShimClient shim = await LaunchAsync(bundle, runner, "tty");
        var seen = new StringBuilder();
        await using (ShimStream stream = await shim.AttachAsync(new ShimAttachOptions { Stdin = true }, Ct))
        {
            Assert.True(stream.State.Tty);
            await shim.StartAsync(Ct);
            await ReadUntilAsync(stream, seen, "shim-prompt$ ");
            await shim.ResizeAsync(33, 111, cancellationToken: Ct);
            await stream.WriteAsync("echo size=$(stty size); [ -t 0 ] && echo is-a-tty\n"u8.ToArray(), Ct);
            await ReadUntilAsync(stream, seen, "size=33 111");
            await ReadUntilAsync(stream, seen, "is-a-tty");
            await stream.WriteAsync("exit 3\n"u8.ToArray(), Ct);
            await ReadToEndAsync(stream, seen);
        }

        Assert.Equal(3, (await shim.WaitAsync(cancellationToken: Ct)).ExitCode);
        string log = File.ReadAllText(LogPath);
        Assert.Contains("size=33 111", log, StringComparison.Ordinal);
        Assert.DoesNotContain("\"stream\":\"stderr\"", log, StringComparison.Ordinal); // a tty has one stream, stdout
        await shim.DeleteAsync(cancellationToken: Ct);
        await WaitGoneAsync(StateDir);
        leaks.AssertNoLeaks(FdTolerance);
    }

    [Fact]
    public async Task Exec_streams_its_output_and_reports_its_exit_code_and_a_tty_exec_gets_a_pty()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithShell("while :; do sleep 0.1; done");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        ShimClient shim = await LaunchAsync(bundle, runner, "exec");
        await shim.StartAsync(Ct);
        (ShimState exec, ShimStream? stream) = await shim.ExecAsync(new ShimExecOptions
        {
            Process = ExecProcess(false, "sh", "-c", "echo exec-out; echo exec-err >&2; exit 7"),
            ExecId = "e1",
            Attach = true,
        }, Ct);
        Assert.Equal("e1", exec.ExecId);
        (string stdout, string stderr) = await ReadDemuxedAsync(stream!);
        Assert.Equal(("exec-out\n", "exec-err\n"), (stdout, stderr));
        ShimState done = await shim.WaitAsync("e1", Ct);
        Assert.Equal((ShimState.Stopped, 7), (done.Status, done.ExitCode));

        // With a terminal and stdin: input through the pty, output raw.
        (_, ShimStream? tty) = await shim.ExecAsync(new ShimExecOptions
        {
            Process = ExecProcess(true, "sh", "-c", "read line; [ -t 1 ] && echo got-$line; exit 4"),
            OpenStdin = true,
            Attach = true,
        }, Ct);
        var seen = new StringBuilder();
        await tty!.WriteAsync("abc\n"u8.ToArray(), Ct);
        await ReadToEndAsync(tty, seen);
        Assert.Contains("got-abc", seen.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, (await shim.WaitAsync(tty.State.ExecId, Ct)).ExitCode);

        // Exec output is the exec's own: the container's log has none of it.
        Assert.DoesNotContain("exec-out", File.ReadAllText(LogPath), StringComparison.Ordinal);
        await shim.DeleteAsync(force: true, Ct);
        await WaitGoneAsync(StateDir);
        leaks.AssertNoLeaks(FdTolerance);
    }

    [Fact]
    public async Task An_idle_shim_gives_back_its_startup_memory_and_still_serves_exec_and_attach()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithShell("while :; do sleep 0.1; done");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        ShimClient shim = await LaunchAsync(bundle, runner, "trim");
        ShimState started = await shim.StartAsync(Ct);
        long busy = ShimRssKib(started.ShimPid);
        long idle = busy;
        while (idle > busy * 3 / 4)
        {
            await Task.Delay(50, Ct); // until the quiet shim has trimmed (the 60 s test timeout bounds this)
            idle = ShimRssKib(started.ShimPid);
        }

        // Pages it gave back come back on demand: exec and attach run the code paths it dropped.
        (_, ShimStream? stream) = await shim.ExecAsync(new ShimExecOptions { Process = ExecProcess(false, "echo", "after-trim"), Attach = true }, Ct);
        Assert.Equal(("after-trim\n", ""), await ReadDemuxedAsync(stream!));
        await using (ShimStream attached = await shim.AttachAsync(new ShimAttachOptions { Stdout = true, Stderr = true }, Ct))
        {
            Assert.Equal(ShimState.Running, attached.State.Status);
        }

        await shim.DeleteAsync(force: true, Ct);
        await WaitGoneAsync(StateDir);
        leaks.AssertNoLeaks(FdTolerance);
    }

    private static long ShimRssKib(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Kill_then_wait_reports_137_and_delete_refuses_a_running_container_unless_forced()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithShell("while :; do sleep 0.1; done");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        ShimClient shim = await LaunchAsync(bundle, runner, "kill");
        await shim.StartAsync(Ct);
        var refused = await Assert.ThrowsAsync<Berth.Core.Errors.BerthException>(() => shim.DeleteAsync(cancellationToken: Ct));
        Assert.Equal(Berth.Core.Errors.ErrorKind.Conflict, refused.Kind);

        Task<ShimState> waiting = shim.WaitAsync(cancellationToken: Ct);
        await shim.KillAsync(9, cancellationToken: Ct);
        ShimState exited = await waiting;
        Assert.Equal(137, exited.ExitCode);
        Assert.Equal(137, (await shim.StateAsync(cancellationToken: Ct)).ExitCode);

        await shim.DeleteAsync(cancellationToken: Ct);
        await WaitGoneAsync(StateDir);
        leaks.AssertNoLeaks(FdTolerance);
    }

    [Fact]
    public async Task A_container_outlives_its_launcher_killed_with_sigkill_and_a_new_client_sees_it_whole()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithSharedDir().WithShell("i=0; while [ ! -e /shared/stop ]; do echo line-$i; i=$((i+1)); sleep 0.02; done; exit 5");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        // The launcher starts the shim in the background and stays (exec: it is the sleep itself, so killing it leaves
        // no orphan sleep holding the test run's output open); the test kills it with SIGKILL.
        bundle.Save();
        var options = Options(bundle, runner, "orphan");
        string ready = Path.Combine(_dir, "ready");
        string command = string.Join(' ', ShimClient.Arguments(options).Select(a => $"'{a}'"));
        using var launcher = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"'{RuntimeRunner.RuntimeUnderTestPath}' {command} > '{ready}' & exec sleep 600"])
        {
            UseShellExecute = false,
        })!;
        runner.Track("orphan");
        await WaitForAsync(() => File.Exists(ready) && File.ReadAllText(ready).Contains('\n', StringComparison.Ordinal));
        Assert.Contains("\"ready\":true", File.ReadAllText(ready), StringComparison.Ordinal);

        ShimClient first = await ShimClient.ConnectAsync(StateDir, Ct);
        ShimState started = await first.StartAsync(Ct);
        await WaitForAsync(() => File.Exists(LogPath) && File.ReadAllLines(LogPath).Length > 5);

        launcher.Kill();
        await launcher.WaitForExitAsync(Ct);
        await WaitForAsync(() => File.ReadAllLines(LogPath).Length > 30); // still logging with the launcher gone

        ShimClient second = await ShimClient.ConnectAsync(StateDir, Ct);
        ShimState state = await second.StateAsync(cancellationToken: Ct);
        Assert.Equal((ShimState.Running, started.Pid, started.ShimPid), (state.Status, state.Pid, state.ShimPid));
        Assert.NotEqual(launcher.Id, ParentOf(state.ShimPid));

        await File.WriteAllTextAsync(Path.Combine(bundle.SharedDir, "stop"), "", Ct);
        Assert.Equal(5, (await second.WaitAsync(cancellationToken: Ct)).ExitCode);
        string[] logged = [.. File.ReadAllLines(LogPath).Select(l => Record(l).Log)];
        Assert.Equal(Enumerable.Range(0, logged.Length).Select(i => $"line-{i}\n"), logged); // none lost, none doubled

        await second.DeleteAsync(cancellationToken: Ct);
        await WaitGoneAsync(StateDir);
        leaks.AssertNoLeaks(FdTolerance);
    }

    [Fact]
    public async Task An_exit_nobody_watched_is_kept_in_exit_json_and_read_back_after_the_shim_is_gone()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithShell("echo bye; exit 42");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();

        ShimClient shim = await LaunchAsync(bundle, runner, "unwatched");
        await shim.StartAsync(Ct);
        string exitFile = Path.Combine(StateDir, ShimOptions.ExitFileName);
        await WaitForAsync(() => File.Exists(exitFile));

        ShimClient later = await ShimClient.ConnectAsync(StateDir, Ct);
        ShimState live = await later.StateAsync(cancellationToken: Ct);
        Assert.Equal((ShimState.Stopped, 42), (live.Status, live.ExitCode));

        // The shim itself gone (say, killed): the exit code still comes from exit.json.
        Assert.Equal(Berth.Linux.Errno.None, Berth.Linux.Processes.TryKill(live.ShimPid, 9));
        await WaitForAsync(() => !Directory.Exists($"/proc/{live.ShimPid}") || File.ReadAllText($"/proc/{live.ShimPid}/stat").Contains(") Z ", StringComparison.Ordinal));
        ShimState fromFile = await later.WaitAsync(cancellationToken: Ct);
        Assert.Equal((ShimState.Stopped, 42, 0), (fromFile.Status, fromFile.ExitCode, fromFile.ShimPid));
        Assert.Null(await later.DeleteAsync(cancellationToken: Ct)); // nobody to ask: the caller cleans up
        (await runner.DeleteAsync("unwatched", force: true)).EnsureSuccess();
        runner.Forget("unwatched");
    }

    [Fact]
    public async Task A_bundle_that_cannot_start_fails_the_launch_with_the_reason_and_leaves_nothing()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("/no/such/binary");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        var error = await Assert.ThrowsAsync<Berth.Core.Errors.BerthException>(() => LaunchAsync(bundle, runner, "bad"));
        Assert.Contains("/no/such/binary", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(StateDir));
        leaks.AssertNoLeaks(FdTolerance);
    }

    [Fact]
    public async Task A_launcher_runs_a_shim_from_its_standby_and_the_standby_after_it_ends_with_the_launcher()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithShell("echo from-standby");
        bundle.Save();
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);
        runner.Track("standby");
        var launcher = new ShimLauncher(RuntimeRunner.RuntimeUnderTestPath!);
        try
        {
            launcher.Prime();
            ShimClient shim = await launcher.LaunchAsync(Options(bundle, runner, "standby"), Ct);
            await shim.StartAsync(Ct);
            ShimState exited = await shim.WaitAsync(cancellationToken: Ct);

            Assert.Equal((ShimState.Stopped, 0), (exited.Status, exited.ExitCode));
            Assert.Equal(("from-standby\n", "stdout"), Record(File.ReadAllLines(LogPath).Single()));
            await shim.DeleteAsync(cancellationToken: Ct);
            await WaitGoneAsync(StateDir);
        }
        finally
        {
            launcher.Dispose(); // the standby started for the next launch reads the end of its stdin and exits
        }

        leaks.AssertNoLeaks(FdTolerance);
    }

    [Theory]
    [InlineData(true, false, "process.terminal is false")]
    [InlineData(false, true, "cannot allocate tty")]
    public async Task A_terminal_flag_the_config_disagrees_with_fails_the_launch_and_leaves_nothing(bool flag, bool config, string reason)
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sh");
        bundle.Process["terminal"] = config;
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        var error = await Assert.ThrowsAsync<Berth.Core.Errors.BerthException>(() => LaunchAsync(bundle, runner, "mismatch", terminal: flag));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(StateDir));
        leaks.AssertNoLeaks(FdTolerance);
    }

    public void Dispose()
    {
        _timeout.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private ShimOptions Options(BusyboxBundle bundle, RuntimeRunner runner, string id, bool openStdin = false) => new()
    {
        Id = id,
        Bundle = bundle.Path,
        StateDirectory = StateDir,
        RuntimeRoot = runner.Root,
        LogPath = LogPath,
        OpenStdin = openStdin,
    };

    private async Task<ShimClient> LaunchAsync(BusyboxBundle bundle, RuntimeRunner runner, string id, bool openStdin = false, bool? terminal = null)
    {
        bundle.Save();
        runner.Track(id);
        return await ShimClient.LaunchAsync(new ShimLaunchOptions
        {
            RuntimeBinary = RuntimeRunner.RuntimeUnderTestPath!,
            Shim = Options(bundle, runner, id, openStdin) with { Terminal = terminal },
        }, Ct);
    }

    private static SpecProcess ExecProcess(bool terminal, params string[] args) => new()
    {
        Terminal = terminal,
        Args = [.. args],
        Env = ["PATH=/bin", "TERM=xterm"],
        Cwd = "/",
    };

    private static (string Log, string Stream) Record(string line)
    {
        using JsonDocument json = JsonDocument.Parse(line);
        return (json.RootElement.GetProperty("log").GetString()!, json.RootElement.GetProperty("stream").GetString()!);
    }

    [GeneratedRegex("""^\{"log":"[^"]*","stream":"std(out|err)","time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z"\}$""")]
    private static partial Regex LogLine();

    private async Task<(byte Stream, string Text)> ReadFrameAsync(Stream stream)
    {
        byte[] header = new byte[StreamFrame.HeaderLength];
        await stream.ReadExactlyAsync(header, Ct);
        Assert.True(StreamFrame.TryReadHeader(header, out byte type, out int length));
        byte[] payload = new byte[length];
        await stream.ReadExactlyAsync(payload, Ct);
        return (type, Encoding.UTF8.GetString(payload));
    }

    private async Task<(string Stdout, string Stderr)> ReadDemuxedAsync(Stream stream)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        byte[] header = new byte[StreamFrame.HeaderLength];
        while (await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, Ct) == header.Length)
        {
            Assert.True(StreamFrame.TryReadHeader(header, out byte type, out int length));
            byte[] payload = new byte[length];
            await stream.ReadExactlyAsync(payload, Ct);
            (type == StreamFrame.Stderr ? stderr : stdout).Append(Encoding.UTF8.GetString(payload));
        }

        return (stdout.ToString(), stderr.ToString());
    }

    private async Task ReadUntilAsync(Stream stream, StringBuilder seen, string text)
    {
        byte[] buffer = new byte[4096];
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(buffer, Ct);
            Assert.True(n > 0, $"stream ended before \"{text}\"; saw: {seen}");
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    private async Task ReadToEndAsync(Stream stream, StringBuilder seen)
    {
        byte[] buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer, Ct)) > 0)
        {
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    private async Task WaitForAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>The shim removes its state dir as it exits after a delete.</summary>
    private Task WaitGoneAsync(string stateDir) => WaitForAsync(() => !Directory.Exists(stateDir));

    private static int ParentOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
