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
