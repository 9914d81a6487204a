using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>create → start → exit → delete through the runtime under test, signals, and coexistence with runc.</summary>
[Trait("Category", "Privileged")]
public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_start_exit_delete_walks_the_states_and_leaves_nothing()
    {
        Requires.Root().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        // The container exits when the test creates /shared/go.
        bundle.WithSharedDir().WithShell("while [ ! -e /shared/go ]; do sleep 0.05; done; echo done");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);

        (await runner.CreateAsync(bundle, "life")).EnsureSuccess();
        ContainerState created = await runner.StateAsync("life");
        Assert.Equal("created", created.Status);
        Assert.Equal("life", created.Id);
        Assert.True(created.Pid > 0, created.Json);
        Assert.Equal(bundle.Path, created.Bundle);

        (await runner.StartAsync("life")).EnsureSuccess();
        ContainerState running = await runner.StateAsync("life");
        Assert.Equal("running", running.Status);
        Assert.Equal(created.Pid, running.Pid);

        await File.WriteAllTextAsync(Path.Combine(bundle.SharedDir, "go"), "", Ct);
        await runner.WaitForStatusAsync("life", "stopped");
        Assert.Equal("done\n", runner.ContainerStdout("life"));

        (await runner.DeleteAsync("life")).EnsureSuccess();
        Assert.False(Directory.Exists(Path.Combine(runner.Root, "life")), "the state dir survived delete");
        Assert.NotEqual(0, (await runner.ExecAsync(["state", "life"])).ExitCode);
        leaks.AssertNoLeaks();
    }

    [Fact]
    public async Task Kill_delivers_the_named_signal()
    {
        Requires.Root().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithSharedDir().WithShell("trap 'echo usr1 > /shared/got' USR1; touch /shared/ready; while :; do sleep 0.05; done");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        (await runner.CreateAsync(bundle, "sig")).EnsureSuccess();
        (await runner.StartAsync("sig")).EnsureSuccess();
        await WaitForFileAsync(Path.Combine(bundle.SharedDir, "ready"));

        (await runner.KillAsync("sig", "SIGUSR1")).EnsureSuccess();
        await WaitForFileAsync(Path.Combine(bundle.SharedDir, "got"));
        Assert.Equal("usr1\n", await File.ReadAllTextAsync(Path.Combine(bundle.SharedDir, "got"), Ct));
        Assert.Equal("running", (await runner.StateAsync("sig")).Status);

        (await runner.KillAsync("sig", "KILL")).EnsureSuccess();
        await runner.WaitForStatusAsync("sig", "stopped");
        (await runner.DeleteAsync("sig")).EnsureSuccess();
    }

    [Fact]
    public async Task Runc_and_the_runtime_under_test_run_side_by_side_without_interfering()
    {
        Requires.Root().Runc().Runtime().Busybox();
        using var runcBundle = BusyboxBundle.Create();
        using var berthBundle = BusyboxBundle.Create();
        runcBundle.WithArgs("sleep", "100");
        berthBundle.WithArgs("sleep", "100");
        using RuntimeRunner runc = RuntimeRunner.Runc();
        using RuntimeRunner berth = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runc, berth);

        // The same ID in both: each runtime only sees its own --root.
        (await runc.CreateAsync(runcBundle, "twin")).EnsureSuccess();
        (await berth.CreateAsync(berthBundle, "twin")).EnsureSuccess();
        (await runc.StartAsync("twin")).EnsureSuccess();
        (await berth.StartAsync("twin")).EnsureSuccess();
        ContainerState r = await runc.StateAsync("twin");
        ContainerState b = await berth.StateAsync("twin");
        Assert.Equal(("running", "running"), (r.Status, b.Status));
        Assert.NotEqual(r.Pid, b.Pid);
        Assert.Equal(runcBundle.Path, r.Bundle);
        Assert.Equal(berthBundle.Path, b.Bundle);

        ProcessResult list = (await berth.ListAsync()).EnsureSuccess();
        Assert.Contains(berthBundle.Path, list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(runcBundle.Path, list.Stdout, StringComparison.Ordinal);

        // Killing runc's container leaves ours running.
        (await runc.KillAsync("twin", "KILL")).EnsureSuccess();
        await runc.WaitForStatusAsync("twin", "stopped");
        Assert.Equal("running", (await berth.StateAsync("twin")).Status);
        Assert.True(Directory.Exists($"/proc/{b.Pid}"), "berth's container process vanished");
        (await runc.DeleteAsync("twin")).EnsureSuccess();
        Assert.Equal("running", (await berth.StateAsync("twin")).Status);

        (await berth.DeleteAsync("twin", force: true)).EnsureSuccess();
        leaks.AssertNoLeaks();
    }

    private static async Task WaitForFileAsync(string path)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(path))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} never appeared");
            await Task.Delay(20, Ct);
        }
    }
}
