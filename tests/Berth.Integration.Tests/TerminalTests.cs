using System.Text.Json.Nodes;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>
/// process.terminal: <c>run</c> in the foreground bridging its own (tmux) pty to the container's, with a prompt,
/// input, a resize and the exit code; and <c>create</c>/<c>exec --tty --detach</c> with <c>--console-socket</c>
/// delivering a working pty master to a listener written here. Each test runs under runc too (the theories' "runc"
/// rows), so the harness is checked against the reference.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class TerminalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Runtimes => ["runc", "berth"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Run_with_a_terminal_gives_an_interactive_shell_that_follows_resizes_and_exits_with_its_code(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox().Tmux();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sh").WithEnv("PATH=/bin", "TERM=xterm", "PS1=berth-prompt$ ");
        bundle.Process["terminal"] = true;
        bundle.Save();
        using RuntimeRunner runner = Make(runtime);
        runner.Track("tty");
        string command = $"{runner.BinaryPath} --root {runner.Root} --log {runner.LogPath} run --bundle {bundle.Path} tty";
        using TmuxSession tmux = await TmuxSession.StartAsync(command, columns: 80, rows: 24);

        await tmux.WaitForLineAsync("^berth-prompt\\$", Timeout);
        await tmux.TypeLineAsync("[ -t 0 ] && [ -t 1 ] && echo stdio-is-a-tty; tty");
        await tmux.WaitForLineAsync("^stdio-is-a-tty$", Timeout);
        await tmux.WaitForLineAsync("^/dev/pts/[0-9]+$", Timeout);
        await tmux.TypeLineAsync("echo hi-$((40+2))");
        await tmux.WaitForLineAsync("^hi-42$", Timeout);

        // The container's pty starts with the size of the runtime's own terminal.
        await tmux.TypeLineAsync("echo size=$(stty size)");
        await tmux.WaitForLineAsync("^size=24 80$", Timeout);

        // tmux resizes its pty and the runtime gets SIGWINCH; it must pass the new size on to the container's pty.
        await tmux.ResizeAsync(columns: 100, rows: 40);
        string seen = "";
        for (int attempt = 0; attempt < 20 && seen.Length == 0; attempt++)
        {
            await tmux.TypeLineAsync($"echo resized-{attempt}=$(stty size)");
            try
            {
                seen = await tmux.WaitForLineAsync($"^resized-{attempt}=40 100$", TimeSpan.FromMilliseconds(500));
            }
            catch (TimeoutException)
            {
            }
        }

        Assert.True(seen.Length > 0, $"the container never saw the new size 40x100:\n{await tmux.CaptureAsync()}\n--- log ---\n{runner.ReadLog()}");

        await tmux.TypeLineAsync("exit 3");
        int exitCode = await tmux.WaitForExitAsync(Timeout);
        Assert.True(exitCode == 3, $"run exited {exitCode}, the shell 3:\n{await tmux.CaptureAsync()}\n--- log ---\n{runner.ReadLog()}");
        // run removes the container when its process ends.
        Assert.NotEqual(0, (await runner.ExecAsync(["state", "tty"])).ExitCode);
        runner.Forget("tty");
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Create_sends_a_working_pty_master_to_the_console_socket(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sh").WithEnv("PATH=/bin", "TERM=xterm", "PS1=console$ ");
        bundle.Process["terminal"] = true;
        bundle.Process["consoleSize"] = new JsonObject { ["height"] = 30, ["width"] = 90 };
        using RuntimeRunner runner = Make(runtime);
        using var socket = new ConsoleSocket();

        Task<PtyMaster?> receive = socket.ReceiveMasterAsync(Timeout, Ct);
        ProcessResult create = await runner.CreateAsync(bundle, "console", ["--console-socket", socket.Path], Timeout);
        using PtyMaster? master = await receive;
        create.EnsureSuccess();
        Assert.True(master is not null, $"nothing received on the console socket: {create}");
        Assert.True(master.IsTerminal, "the fd received is not a terminal");
        Assert.Equal("created", (await runner.StateAsync("console")).Status);

        (await runner.StartAsync("console")).EnsureSuccess();
        await master.WaitForLineAsync("console\\$", Timeout);
        // The tty echoes the input, so the command computes what it prints: only the shell can produce it.
        master.Write("echo from-$((6*7))-test\n");
        await master.WaitForLineAsync("^from-42-test$", Timeout);
        master.Write("echo size=$(stty size); tty\n");
        await master.WaitForLineAsync("^size=30 90$", Timeout);
        await master.WaitForLineAsync("^/dev/pts/[0-9]+$", Timeout);

        master.Write("exit 0\n");
        await runner.WaitForStatusAsync("console", "stopped", Timeout);
        Assert.True(master.WaitForHangup(Timeout), $"the pty master never saw the slave close; read:\n{master.Output}");
        (await runner.DeleteAsync("console")).EnsureSuccess();
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Exec_with_a_tty_sends_a_working_pty_master_to_the_console_socket(string runtime)
    {
        Requires.Root().Runc().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("sleep", "300").WithEnv("PATH=/bin", "TERM=xterm", "PS1=exec$ ");
        using RuntimeRunner runner = Make(runtime);
        await runner.CreateAndStartAsync(bundle, "exectty");
        using var socket = new ConsoleSocket();
        string pidFile = Path.Combine(bundle.Path, "exec.pid");

        // containerd's call: exec --detach --tty --console-socket S --pid-file P ID CMD.
        Task<PtyMaster?> receive = socket.ReceiveMasterAsync(Timeout, Ct);
        ProcessResult exec = await runner.ExecInContainerAsync("exectty", ["--detach", "--tty", "--console-socket", socket.Path, "--pid-file", pidFile], ["sh"], Timeout);
        using PtyMaster? master = await receive;
        exec.EnsureSuccess();
        Assert.True(master is not null, $"nothing received on the console socket: {exec}");
        Assert.True(master.IsTerminal, "the fd received is not a terminal");
        int pid = int.Parse((await File.ReadAllTextAsync(pidFile, Ct)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        await master.WaitForLineAsync("exec\\$", Timeout);
        master.Write("echo exec-$((6*7)); [ -t 0 ] && echo stdin-is-a-tty; cat /proc/1/cmdline | tr '\\0' ' '; echo\n");
        await master.WaitForLineAsync("^exec-42$", Timeout);
        await master.WaitForLineAsync("^stdin-is-a-tty$", Timeout);
        await master.WaitForLineAsync("^sleep 300 $", Timeout);

        master.Write("exit\n");
        DateTime deadline = DateTime.UtcNow + Timeout;
        while (File.Exists($"/proc/{pid}/cmdline") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(master.WaitForHangup(Timeout), $"the exec'd shell's pty never closed; read:\n{master.Output}");
        Assert.Equal("running", (await runner.StateAsync("exectty")).Status);
    }

    private static RuntimeRunner Make(string runtime) => runtime == "runc" ? RuntimeRunner.Runc() : RuntimeRunner.UnderTest();
}
