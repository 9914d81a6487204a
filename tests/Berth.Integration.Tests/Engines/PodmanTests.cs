using Berth.Testing;
using Berth.Testing.Engines;

namespace Berth.Integration.Tests.Engines;

/// <summary>
/// podman 4.3 (conmon) drives the runtime exactly as it drives runc: <c>podman --runtime PATH run …</c>. The runtime
/// is wrapped by a <see cref="LoggedRuntime"/>, so a failure shows every runtime command line podman ran, with its
/// output. The runc variants validate the fixtures: if they fail, the harness is wrong, not berth-runtime.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class PodmanTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Podman_runs_echo_through_berth_runtime()
    {
        Requires.Root().Runtime().LocalRegistry().Podman();
        await RunEchoAsync(RuntimeRunner.RuntimeUnderTestPath!);
    }

    [Fact]
    public async Task Podman_runs_echo_through_runc()
    {
        Requires.Root().Runc().LocalRegistry().Podman();
        await RunEchoAsync(RuntimeRunner.RuncPath);
    }

    /// <summary>Needs process.terminal with --console-socket (conmon receives the pty master over the socket).</summary>
    [Fact]
    public async Task Podman_run_it_gives_an_interactive_terminal_through_berth_runtime()
    {
        Requires.Root().Runtime().LocalRegistry().Podman().Script();
        await RunInteractiveAsync(RuntimeRunner.RuntimeUnderTestPath!);
    }

    [Fact]
    public async Task Podman_run_it_gives_an_interactive_terminal_through_runc()
    {
        Requires.Root().Runc().LocalRegistry().Podman().Script();
        await RunInteractiveAsync(RuntimeRunner.RuncPath);
    }

    /// <summary>The container's exit status comes back through <c>state</c>/conmon as podman's own.</summary>
    [Theory]
    [InlineData("berth-runtime")]
    [InlineData("runc")]
    public async Task Podman_returns_the_container_exit_code(string runtime)
    {
        string path = Require(runtime);
        (PodmanEnvironment podman, BusyboxImage image, LoggedRuntime logged, long mark) = await PrepareAsync(path);
        ProcessResult result = await podman.ExecAsync(podman.RunArgs(logged, "--rm", "--network", "none", image.Reference, "sh", "-c", "echo out; exit 3"), Timeout);
        string context = Context(result.ToString(), logged, mark);
        Assert.True(result.ExitCode == 3, context);
        Assert.True(result.Stdout == "out\n", context);
        AssertNoContainersLeft(logged, context);
    }

    /// <summary>
    /// A process that exits at once (<c>true</c>) is reaped by conmon within a millisecond of <c>start</c> releasing
    /// the exec fifo; <c>start</c> must still succeed (runc only reads the fifo). Repeated, because the window is small.
    /// </summary>
    [Theory]
    [InlineData("berth-runtime")]
    [InlineData("runc")]
    public async Task Podman_starts_a_container_that_exits_at_once_every_time(string runtime)
    {
        string path = Require(runtime);
        (PodmanEnvironment podman, BusyboxImage image, LoggedRuntime logged, long mark) = await PrepareAsync(path);
        for (int i = 0; i < 25; i++)
        {
            ProcessResult result = await podman.ExecAsync(podman.RunArgs(logged, "--rm", "--network", "none", image.Reference, "true"), Timeout);
            Assert.True(result.ExitCode == 0, $"run {i + 1} of 25: {Context(result.ToString(), logged, mark)}");
            mark = logged.Mark();
        }
    }

    /// <summary><c>run -d</c>, <c>ps</c> (state), <c>stop</c> (kill SIGTERM, then SIGKILL), <c>rm</c> (delete).</summary>
    [Theory]
    [InlineData("berth-runtime")]
    [InlineData("runc")]
    public async Task Podman_stops_and_removes_a_detached_container(string runtime)
    {
        string path = Require(runtime);
        (PodmanEnvironment podman, BusyboxImage image, LoggedRuntime logged, long mark) = await PrepareAsync(path);
        string name = "stop-" + Guid.NewGuid().ToString("N")[..8];
        ProcessResult run = await podman.ExecAsync(podman.RunArgs(logged, "-d", "--name", name, "--network", "none", image.Reference, "sleep", "1000"), Timeout);
        Assert.True(run.ExitCode == 0, Context(run.ToString(), logged, mark));
        ProcessResult inspect = await podman.PodmanAsync(["inspect", "--format", "{{.State.Status}} {{.State.Pid}}", name], Timeout);
        Assert.True(inspect.ExitCode == 0 && inspect.Stdout.StartsWith("running ", StringComparison.Ordinal), Context(inspect.ToString(), logged, mark));
        ProcessResult stop = await podman.PodmanAsync(["stop", "-t", "2", name], Timeout);
        Assert.True(stop.ExitCode == 0, Context(stop.ToString(), logged, mark));
        ProcessResult stopped = await podman.PodmanAsync(["inspect", "--format", "{{.State.Status}}", name], Timeout);
        Assert.True(stopped.Stdout.Trim() is "exited" or "stopped", Context(stopped.ToString(), logged, mark));
        ProcessResult rm = await podman.PodmanAsync(["rm", name], Timeout);
        string context = Context(rm.ToString(), logged, mark);
        Assert.True(rm.ExitCode == 0, context);
        AssertNoContainersLeft(logged, context);
    }

    /// <summary><c>podman exec</c> = <c>runtime exec --process FILE --detach --pid-file …</c> (needs the runtime's exec).</summary>
    [Theory]
    [InlineData("berth-runtime")]
    [InlineData("runc")]
    public async Task Podman_exec_runs_a_process_in_a_running_container(string runtime)
    {
        string path = Require(runtime);
        (PodmanEnvironment podman, BusyboxImage image, LoggedRuntime logged, long mark) = await PrepareAsync(path);
        string name = "exec-" + Guid.NewGuid().ToString("N")[..8];
        ProcessResult run = await podman.ExecAsync(podman.RunArgs(logged, "-d", "--name", name, "--hostname", "inside", "--network", "none", image.Reference, "sleep", "1000"), Timeout);
        Assert.True(run.ExitCode == 0, Context(run.ToString(), logged, mark));
        try
        {
            ProcessResult exec = await podman.PodmanAsync(["exec", name, "sh", "-c", "hostname; cat /proc/1/cmdline | tr '\\0' ' '; exit 5"], Timeout);
            string context = Context(exec.ToString(), logged, mark);
            Assert.True(exec.ExitCode == 5, context);
            Assert.True(exec.Stdout == "inside\nsleep 1000 ", context);
        }
        finally
        {
            await podman.PodmanAsync(["rm", "-f", "-t", "0", name], Timeout);
        }
    }

    private static string Require(string runtime)
    {
        if (runtime == "runc")
        {
            Requires.Root().Runc().LocalRegistry().Podman();
            return RuntimeRunner.RuncPath;
        }

        Requires.Root().Runtime().LocalRegistry().Podman();
        return RuntimeRunner.RuntimeUnderTestPath!;
    }

    private async Task<(PodmanEnvironment Podman, BusyboxImage Image, LoggedRuntime Runtime, long Mark)> PrepareAsync(string runtimePath)
    {
        PodmanEnvironment podman = await fixture.PodmanAsync();
        BusyboxImage image = await fixture.ImageAsync();
        LoggedRuntime runtime = podman.WrapRuntime(runtimePath);
        return (podman, image, runtime, runtime.Mark());
    }

    private async Task RunEchoAsync(string runtimePath)
    {
        PodmanEnvironment podman = await fixture.PodmanAsync();
        BusyboxImage image = await fixture.ImageAsync();
        LoggedRuntime runtime = podman.WrapRuntime(runtimePath);
        long mark = runtime.Mark();

        ProcessResult result = await podman.ExecAsync(podman.RunArgs(runtime, "--rm", "--network", "none", image.Reference, "echo", "hi"), Timeout);

        string context = Context(result.ToString(), runtime, mark);
        Assert.True(result.ExitCode == 0, context);
        Assert.True(result.Stdout == "hi\n", context);
        AssertNoContainersLeft(runtime, context);
    }

    private async Task RunInteractiveAsync(string runtimePath)
    {
        PodmanEnvironment podman = await fixture.PodmanAsync();
        BusyboxImage image = await fixture.ImageAsync();
        LoggedRuntime runtime = podman.WrapRuntime(runtimePath);
        long mark = runtime.Mark();

        // Pull first: the progress output would otherwise share the terminal with the container.
        (await podman.PodmanAsync(["pull", "-q", image.Reference], Timeout)).EnsureSuccess();
        using var session = PtySession.Start(
            EngineBinaries.Podman,
            podman.RunArgs(runtime, "--rm", "-it", "--network", "none", image.Reference, "sh", "-c", "echo ready; [ -t 0 ] && echo tty-yes; read x; echo got-$x"),
            podman.Environment);
        try
        {
            await session.WaitForOutputAsync("ready", Timeout);
            await session.TypeAsync("hello\r");
            await session.WaitForOutputAsync("got-hello", Timeout);
            int exitCode = await session.WaitForExitAsync(Timeout);
            Assert.Equal(0, exitCode);
            Assert.Contains("tty-yes", session.Output, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is not Xunit.Sdk.SkipException)
        {
            Assert.Fail(Context(e.Message.Contains("--- terminal ---", StringComparison.Ordinal) ? e.Message : $"{e.Message}\n--- terminal ---\n{session.Output}", runtime, mark));
        }

        AssertNoContainersLeft(runtime, Context(session.Output, runtime, mark));
    }

    private static string Context(string what, LoggedRuntime runtime, long mark) =>
        $"{what}\n=== runtime calls ({runtime.LogPath}) ===\n{runtime.CallsSince(mark)}";

    /// <summary>With <c>--rm</c> podman deletes the container: the runtime's state dir must be empty again.</summary>
    private static void AssertNoContainersLeft(LoggedRuntime runtime, string context)
    {
        string[] left = runtime.Root is { } root && Directory.Exists(root) ? Directory.GetFileSystemEntries(root) : [];
        Assert.True(left.Length == 0, $"state left in the runtime's --root after run --rm: {string.Join(", ", left)}\n{context}");
    }
}
