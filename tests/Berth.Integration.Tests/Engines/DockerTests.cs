using Berth.Testing;
using Berth.Testing.Engines;

namespace Berth.Integration.Tests.Engines;

/// <summary>
/// dockerd 20.10 (containerd 1.6, runc v2 shim) started by the fixture with <c>--add-runtime berth=…</c>: the shim
/// drives the runtime exactly as it drives runc. The runtime is wrapped by a <see cref="LoggedRuntime"/>, so a
/// failure shows every runtime command line the shim ran. The default-runtime (runc) variants validate the fixtures.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class DockerTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Dockerd_runs_echo_through_berth_runtime_added_with_add_runtime()
    {
        Requires.Root().Runtime().LocalRegistry().Dockerd();
        await RunEchoAsync("berth");
    }

    [Fact]
    public async Task Dockerd_runs_echo_through_its_default_runc()
    {
        Requires.Root().LocalRegistry().Dockerd();
        await RunEchoAsync(runtimeName: null);
    }

    /// <summary>Needs process.terminal with --console-socket (the shim receives the pty master over the socket).</summary>
    [Fact]
    public async Task Docker_run_it_gives_an_interactive_terminal_through_berth_runtime()
    {
        Requires.Root().Runtime().LocalRegistry().Dockerd().Script();
        await RunInteractiveAsync("berth");
    }

    [Fact]
    public async Task Docker_run_it_gives_an_interactive_terminal_through_its_default_runc()
    {
        Requires.Root().LocalRegistry().Dockerd().Script();
        await RunInteractiveAsync(runtimeName: null);
    }

    /// <summary>The container's exit status comes back through the shim as docker's own.</summary>
    [Theory]
    [InlineData("berth")]
    [InlineData("default")]
    public async Task Docker_returns_the_container_exit_code(string runtime)
    {
        (DockerdEnvironment dockerd, BusyboxImage image, LoggedRuntime? logged, long mark) = await PrepareAsync(runtime);
        ProcessResult result = await dockerd.DockerAsync(["run", "--rm", .. RuntimeArgs(Name(runtime)), "--network", "none", image.Reference, "sh", "-c", "echo out; exit 3"], Timeout);
        string context = Context(result.ToString(), dockerd, logged, mark);
        Assert.True(result.ExitCode == 3, context);
        Assert.True(result.Stdout == "out\n", context);
        await AssertNoContainersLeftAsync(dockerd, context);
    }

    /// <summary><c>run -d</c>, <c>stop</c> (the shim's kill SIGTERM, then SIGKILL), <c>rm</c> (delete).</summary>
    [Theory]
    [InlineData("berth")]
    [InlineData("default")]
    public async Task Docker_stops_and_removes_a_detached_container(string runtime)
    {
        (DockerdEnvironment dockerd, BusyboxImage image, LoggedRuntime? logged, long mark) = await PrepareAsync(runtime);
        string name = "stop-" + Guid.NewGuid().ToString("N")[..8];
        ProcessResult run = await dockerd.DockerAsync(["run", "-d", "--name", name, .. RuntimeArgs(Name(runtime)), "--network", "none", image.Reference, "sleep", "1000"], Timeout);
        Assert.True(run.ExitCode == 0, Context(run.ToString(), dockerd, logged, mark));
        ProcessResult inspect = await dockerd.DockerAsync(["inspect", "--format", "{{.State.Status}}", name], Timeout);
        Assert.True(inspect.Stdout.Trim() == "running", Context(inspect.ToString(), dockerd, logged, mark));
        ProcessResult stop = await dockerd.DockerAsync(["stop", "-t", "2", name], Timeout);
        Assert.True(stop.ExitCode == 0, Context(stop.ToString(), dockerd, logged, mark));
        ProcessResult stopped = await dockerd.DockerAsync(["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name], Timeout);
        Assert.True(stopped.Stdout.Trim() == "exited 137", Context(stopped.ToString(), dockerd, logged, mark));
        ProcessResult rm = await dockerd.DockerAsync(["rm", name], Timeout);
        string context = Context(rm.ToString(), dockerd, logged, mark);
        Assert.True(rm.ExitCode == 0, context);
        await AssertNoContainersLeftAsync(dockerd, context);
    }

    /// <summary><c>docker exec</c> = the shim's <c>runtime exec --process FILE --detach --pid-file …</c> (needs the runtime's exec).</summary>
    [Theory]
    [InlineData("berth")]
    [InlineData("default")]
    public async Task Docker_exec_runs_a_process_in_a_running_container(string runtime)
    {
        (DockerdEnvironment dockerd, BusyboxImage image, LoggedRuntime? logged, long mark) = await PrepareAsync(runtime);
        string name = "exec-" + Guid.NewGuid().ToString("N")[..8];
        ProcessResult run = await dockerd.DockerAsync(["run", "-d", "--name", name, "--hostname", "inside", .. RuntimeArgs(Name(runtime)), "--network", "none", image.Reference, "sleep", "1000"], Timeout);
        Assert.True(run.ExitCode == 0, Context(run.ToString(), dockerd, logged, mark));
        try
        {
            ProcessResult exec = await dockerd.DockerAsync(["exec", name, "sh", "-c", "hostname; cat /proc/1/cmdline | tr '\\0' ' '; exit 5"], Timeout);
            string context = Context(exec.ToString(), dockerd, logged, mark);
            Assert.True(exec.ExitCode == 5, context);
            Assert.True(exec.Stdout == "inside\nsleep 1000 ", context);
        }
        finally
        {
            await dockerd.DockerAsync(["rm", "-f", name], Timeout);
        }
    }

    /// <summary>"berth" is the runtime added with --add-runtime; "default" is dockerd's own runc.</summary>
    private static string? Name(string runtime) => runtime == "default" ? null : runtime;

    private async Task<(DockerdEnvironment Dockerd, BusyboxImage Image, LoggedRuntime? Runtime, long Mark)> PrepareAsync(string runtime)
    {
        if (runtime == "default")
        {
            Requires.Root().LocalRegistry().Dockerd();
        }
        else
        {
            Requires.Root().Runtime().LocalRegistry().Dockerd();
        }

        DockerdEnvironment dockerd = await fixture.DockerdAsync();
        BusyboxImage image = await fixture.ImageAsync();
        LoggedRuntime? logged = Name(runtime) is { } n ? dockerd.Runtimes[n] : null;
        return (dockerd, image, logged, logged?.Mark() ?? 0);
    }

    private async Task RunEchoAsync(string? runtimeName)
    {
        DockerdEnvironment dockerd = await fixture.DockerdAsync();
        BusyboxImage image = await fixture.ImageAsync();
        LoggedRuntime? runtime = runtimeName is null ? null : dockerd.Runtimes[runtimeName];
        long mark = runtime?.Mark() ?? 0;

        ProcessResult result = await dockerd.DockerAsync(
            ["run", "--rm", .. RuntimeArgs(runtimeName), "--network", "none", image.Reference, "echo", "hi"], Timeout);

        string context = Context(result.ToString(), dockerd, runtime, mark);
        Assert.True(result.ExitCode == 0, context);
        Assert.True(result.Stdout == "hi\n", context);
        await AssertNoContainersLeftAsync(dockerd, context);
    }

    private async Task RunInteractiveAsync(string? runtimeName)
    {
        DockerdEnvironment dockerd = await fixture.DockerdAsync();
        BusyboxImage image = await fixture.ImageAsync();
        LoggedRuntime? runtime = runtimeName is null ? null : dockerd.Runtimes[runtimeName];
        long mark = runtime?.Mark() ?? 0;

        // Pull first: the progress output would otherwise share the terminal with the container.
        (await dockerd.DockerAsync(["pull", "-q", image.Reference], Timeout)).EnsureSuccess();
        using var session = PtySession.Start(
            dockerd.Client,
            ["run", "--rm", "-it", .. RuntimeArgs(runtimeName), "--network", "none", image.Reference, "sh", "-c", "echo ready; [ -t 0 ] && echo tty-yes; read x; echo got-$x"],
            dockerd.Environment);
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
            Assert.Fail(Context(e.Message.Contains("--- terminal ---", StringComparison.Ordinal) ? e.Message : $"{e.Message}\n--- terminal ---\n{session.Output}", dockerd, runtime, mark));
        }

        await AssertNoContainersLeftAsync(dockerd, session.Output);
    }

    private static string[] RuntimeArgs(string? runtimeName) => runtimeName is null ? [] : ["--runtime", runtimeName];

    private static string Context(string what, DockerdEnvironment dockerd, LoggedRuntime? runtime, long mark) =>
        runtime is null
            ? $"{what}\n{dockerd.Logs}"
            : $"{what}\n=== runtime calls ({runtime.LogPath}) ===\n{runtime.CallsSince(mark)}\n{dockerd.Logs}";

    /// <summary>With <c>--rm</c>, docker forgets the container once it exited.</summary>
    private static async Task AssertNoContainersLeftAsync(DockerdEnvironment dockerd, string context)
    {
        ProcessResult ps = (await dockerd.DockerAsync(["ps", "-aq"], Timeout)).EnsureSuccess();
        // --rm is asynchronous in the daemon: give it a moment.
        for (int i = 0; i < 50 && ps.Stdout.Trim().Length > 0; i++)
        {
            await Task.Delay(100);
            ps = (await dockerd.DockerAsync(["ps", "-aq"], Timeout)).EnsureSuccess();
        }

        Assert.True(ps.Stdout.Trim().Length == 0, $"containers left after run --rm: {ps.Stdout}\n{context}");
    }
}
