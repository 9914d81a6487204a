using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>
/// NOT the acceptance "spawn stress test" (2000 create/start/wait/delete cycles while other threads allocate):
/// that one exercises the in-process spawner and is written by the runtime author next to it. This is the
/// black-box counterpart: 200 foreground <c>run</c>s of <c>true</c> through the CLI, then nothing may be left
/// (state, cgroups, mounts, processes, fds of the test process).
/// </summary>
[Trait("Category", "Privileged")]
public sealed class RepeatedRunTests
{
    [Fact]
    public async Task Two_hundred_runs_of_true_leave_no_state_cgroups_mounts_processes_or_fds()
    {
        Requires.Root().Runtime().Busybox();
        using var bundle = BusyboxBundle.Create();
        bundle.WithArgs("true");
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        var leaks = LeakCheck.Start(runner);
        int fdsBefore = LeakCheck.OpenFdCount();

        for (int i = 0; i < 200; i++)
        {
            ProcessResult r = await runner.RunAsync(bundle, $"rep-{i}", TimeSpan.FromSeconds(30));
            Assert.True(r.ExitCode == 0, $"run #{i}: {r}");
            runner.Forget($"rep-{i}");
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(runner.Root));
        leaks.AssertNoLeaks();
        Assert.InRange(LeakCheck.OpenFdCount(), 0, fdsBefore + 4);
    }
}
