using Berth.Linux;
using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Registry;

namespace Berth.Integration.Tests.Daemon;

/// <summary>
/// berthd keeps its exec-root in memory: on a disk filesystem it mounts a tmpfs there, which holds its running
/// containers' shims across a daemon restart and goes away at the shutdown that leaves no container running.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class ExecRootTests(LocalRegistryFixture registry)
{
    [Fact]
    public async Task An_exec_root_on_disk_becomes_a_tmpfs_that_outlives_berthd_only_while_containers_run()
    {
        Requires.Root().Runtime().LocalRegistry();
        (LocalRegistry reg, BusyboxImage image) = await registry.GetAsync();
        await using BerthDaemonProcess daemon = await BerthDaemonProcess.StartAsync(reg);
        var docker = new DockerCli(daemon);
        string name = DockerCli.UniqueName("execroot");
        // The fixtures put the exec-root under /tmp: on disk here, so berthd mounts. Where /tmp is a tmpfs itself, it must not.
        bool onDisk = FileSystemOps.FileSystemType(Path.GetDirectoryName(daemon.ExecRoot)!) is not (FileSystemMagic.Tmpfs or FileSystemMagic.Ramfs);
        try
        {
            Assert.True(onDisk == IsBerthTmpfs(daemon.ExecRoot), daemon.Log);

            ProcessResult run = await docker.RunAsync("run", "-d", "--name", name, image.Reference, "sleep", "600");
            Assert.True(run.ExitCode == 0, docker.Context(run));
            await daemon.StopAsync();
            Assert.True(onDisk == IsBerthTmpfs(daemon.ExecRoot), "a shim lives in it: the tmpfs must stay\n" + daemon.Log);

            await daemon.RestartAsync();
            ProcessResult exec = await docker.RunAsync("exec", name, "echo", "reached");
            Assert.True(exec.ExitCode == 0 && exec.Stdout == "reached\n", docker.Context(exec));
            Assert.True(onDisk == IsBerthTmpfs(daemon.ExecRoot), "restarted on its own tmpfs: not mounted again\n" + daemon.Log);
            Assert.Single(ProcessTools.MountsUnder(daemon.ExecRoot), m => m == daemon.ExecRoot);

            ProcessResult rm = await docker.RunAsync("rm", "-f", name);
            Assert.True(rm.ExitCode == 0, docker.Context(rm));
            await daemon.StopAsync();
            Assert.False(IsBerthTmpfs(daemon.ExecRoot), "no container left: the tmpfs goes\n" + daemon.Log);
            Assert.Empty(ProcessTools.MountsUnder(daemon.ExecRoot));
        }
        finally
        {
            await daemon.RestartAsync();
            await docker.RunAsync(["rm", "-f", name], TimeSpan.FromMinutes(1));
        }
    }

    private static bool IsBerthTmpfs(string path) =>
        MountInfoEntry.ReadAll().Any(m => m is { FileSystemType: "tmpfs", Source: "berth-exec-root" } && m.MountPoint == path);
}
