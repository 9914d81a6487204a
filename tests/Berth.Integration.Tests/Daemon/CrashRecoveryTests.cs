using Berth.Testing.Registry;
using System.Globalization;
using Berth.Testing;
using Berth.Testing.Engines;

namespace Berth.Integration.Tests.Daemon;

/// <summary>
/// berthd killed with SIGKILL while containers run (and a pull may be in flight), then started again on the same
/// dirs: the containers' shims kept them running and logging, so nothing is lost, and a container that exited
/// meanwhile reports its real exit code.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class CrashRecoveryTests(LocalRegistryFixture registry, BerthdFixture berthd) : IClassFixture<BerthdFixture>
{
    private const string Counter = "i=0; while true; do i=$((i+1)); echo $i; sleep 0.2; done";

    [Fact]
    public async Task Containers_survive_a_berthd_kill_9_with_their_logs_and_exit_codes()
    {
        Requires.Root().Runtime().LocalRegistry();
        (LocalRegistry reg, BusyboxImage image) = await registry.GetAsync();
        BerthDaemonProcess daemon = await berthd.GetAsync(reg);
        var docker = new DockerCli(daemon);
        string[] names = [.. Enumerable.Range(0, 3).Select(_ => DockerCli.UniqueName("crash"))];
        string exiter = DockerCli.UniqueName("exit7");
        string fresh = $"{reg.Address}/{DockerCli.UniqueName("crashpull")}:latest";
        try
        {
            foreach (string name in names)
            {
                ProcessResult run = await docker.RunAsync("run", "-d", "--name", name, image.Reference, "sh", "-c", Counter);
                Assert.True(run.ExitCode == 0, docker.Context(run));
            }

            foreach (string name in names)
            {
                await WaitForCounterAsync(docker, name, 3);
            }

            (await ChildProcess.RunAsync(EngineBinaries.Skopeo, ["copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{image.Reference}", $"docker://{fresh}"], TimeSpan.FromMinutes(2), cancellationToken: TestContext.Current.CancellationToken)).EnsureSuccess();
            ProcessResult exitRun = await docker.RunAsync("run", "-d", "--name", exiter, image.Reference, "sh", "-c", "sleep 2; exit 7");
            Assert.True(exitRun.ExitCode == 0, docker.Context(exitRun));

            // A pull that may be in flight when berthd dies; it must be retryable afterwards.
            using System.Diagnostics.Process pull = docker.Start(["pull", fresh]);
            await daemon.KillHard();
            await pull.WaitForExitAsync(TestContext.Current.CancellationToken);

            // Let the exit-7 container finish while berthd is down.
            await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
            await daemon.RestartAsync();

            ProcessResult ps = await docker.RunAsync("ps", "--format", "{{.Names}} {{.State}}");
            string context = docker.Context(ps);
            Assert.True(ps.ExitCode == 0, context);
            foreach (string name in names)
            {
                Assert.True(ps.Stdout.Contains($"{name} running", StringComparison.Ordinal), context);
            }

            Assert.False(ps.Stdout.Contains(exiter, StringComparison.Ordinal), context);

            ProcessResult exited = await WaitForExitedAsync(docker, exiter);
            Assert.True(exited.Stdout.Trim() == "7 exited", docker.Context(exited));

            foreach (string name in names)
            {
                int before = await LastCounterAsync(docker, name);
                await WaitForCounterAsync(docker, name, before + 3);
                ProcessResult logs = await docker.RunAsync("logs", name);
                int[] counters = [.. logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l, CultureInfo.InvariantCulture))];
                Assert.True(counters.Length > 0 && counters.Select((c, i) => c == i + 1).All(ok => ok), docker.Context($"{name}: counters not consecutive from 1: {string.Join(',', counters)}"));
            }

            ProcessResult retry = await docker.RunAsync("pull", fresh);
            Assert.True(retry.ExitCode == 0, docker.Context(retry));
            ProcessResult runFresh = await docker.RunAsync("run", "--rm", fresh, "echo", "pulled");
            Assert.True(runFresh.ExitCode == 0 && runFresh.Stdout == "pulled\n", docker.Context(runFresh));
        }
        finally
        {
            await docker.RunAsync(["rm", "-f", .. names, exiter], TimeSpan.FromMinutes(2));
        }
    }

    [Fact]
    public async Task A_rm_container_that_exits_while_berthd_is_down_is_removed_when_it_comes_back()
    {
        Requires.Root().Runtime().LocalRegistry();
        (LocalRegistry reg, BusyboxImage image) = await registry.GetAsync();
        BerthDaemonProcess daemon = await berthd.GetAsync(reg);
        var docker = new DockerCli(daemon);
        string name = DockerCli.UniqueName("rmcrash");
        try
        {
            ProcessResult run = await docker.RunAsync("run", "-d", "--rm", "--name", name, image.Reference, "sleep", "1");
            Assert.True(run.ExitCode == 0, docker.Context(run));
            await daemon.KillHard();
            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
            await daemon.RestartAsync();

            ProcessResult ps = default!;
            for (int attempt = 0; attempt < 100; attempt++)
            {
                ps = await docker.RunAsync("ps", "-a", "--filter", $"name={name}", "--format", "{{.Names}}");
                if (ps.ExitCode == 0 && ps.Stdout.Length == 0)
                {
                    break;
                }

                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            Assert.True(ps.ExitCode == 0 && ps.Stdout.Length == 0, docker.Context(ps));
        }
        finally
        {
            await docker.RunAsync(["rm", "-f", name], TimeSpan.FromMinutes(1));
        }
    }

    private static async Task<int> LastCounterAsync(DockerCli docker, string name)
    {
        ProcessResult logs = await docker.RunAsync("logs", "--tail", "1", name);
        return int.TryParse(logs.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
    }

    private static async Task WaitForCounterAsync(DockerCli docker, string name, int atLeast)
    {
        for (int attempt = 0; attempt < 150; attempt++)
        {
            if (await LastCounterAsync(docker, name) >= atLeast)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail(docker.Context($"{name} never logged counter {atLeast}"));
    }

    private static async Task<ProcessResult> WaitForExitedAsync(DockerCli docker, string name)
    {
        ProcessResult inspect = await docker.RunAsync("inspect", "-f", "{{.State.ExitCode}} {{.State.Status}}", name);
        for (int attempt = 0; attempt < 100 && !inspect.Stdout.Contains("exited", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(200);
            inspect = await docker.RunAsync("inspect", "-f", "{{.State.ExitCode}} {{.State.Status}}", name);
        }

        return inspect;
    }
}
