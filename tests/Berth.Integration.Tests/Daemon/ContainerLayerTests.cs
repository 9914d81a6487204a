using Berth.Testing;
using Berth.Testing.Engines;
using Berth.Testing.Registry;

namespace Berth.Integration.Tests.Daemon;

/// <summary>
/// A container's own layer holds only what the container writes: the targets of its /etc bind mounts come from a
/// layer its image's containers share, so starting one writes nothing there.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class ContainerLayerTests(LocalRegistryFixture registry, BerthdFixture berthd) : IClassFixture<BerthdFixture>
{
    [Fact]
    public async Task A_started_container_s_upper_layer_stays_empty_and_its_etc_files_are_its_own()
    {
        Requires.Root().Runtime().LocalRegistry();
        (LocalRegistry reg, BusyboxImage image) = await registry.GetAsync();
        var docker = new DockerCli(await berthd.GetAsync(reg));
        string name = DockerCli.UniqueName("layer");
        try
        {
            ProcessResult run = await docker.RunAsync("run", "-d", "--name", name, "--hostname", "layered", image.Reference, "sleep", "600");
            Assert.True(run.ExitCode == 0, docker.Context(run));

            ProcessResult upper = await docker.RunAsync("inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", name);
            Assert.True(upper.ExitCode == 0, docker.Context(upper));
            Assert.Empty(Directory.EnumerateFileSystemEntries(upper.Stdout.Trim()));

            ProcessResult files = await docker.RunAsync("exec", name, "sh", "-c", "cat /etc/hostname; grep -c localhost /etc/hosts; grep -c nameserver /etc/resolv.conf");
            Assert.True(files.ExitCode == 0 && files.Stdout.StartsWith("layered\n", StringComparison.Ordinal), docker.Context(files));

            // Writing through a bind mount leaves the layer alone too; writing elsewhere in /etc lands in it.
            ProcessResult write = await docker.RunAsync("exec", name, "sh", "-c", "echo 10.0.0.9 extra >> /etc/hosts && echo x > /etc/other");
            Assert.True(write.ExitCode == 0, docker.Context(write));
            Assert.Equal(["other"], Directory.EnumerateFileSystemEntries(Path.Combine(upper.Stdout.Trim(), "etc")).Select(Path.GetFileName));
        }
        finally
        {
            await docker.RunAsync(["rm", "-f", name], TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task A_container_made_in_a_removed_one_s_recycled_directory_has_its_own_files_and_no_old_log()
    {
        Requires.Root().Runtime().LocalRegistry();
        (LocalRegistry reg, BusyboxImage image) = await registry.GetAsync();
        BerthDaemonProcess daemon = await berthd.GetAsync(reg);
        var docker = new DockerCli(daemon);
        string before = DockerCli.UniqueName("recycled"), after = DockerCli.UniqueName("recycler");
        try
        {
            ProcessResult first = await docker.RunAsync("run", "--name", before, "--hostname", "first", image.Reference, "echo", "said-before");
            Assert.True(first.ExitCode == 0 && first.Stdout == "said-before\n", docker.Context(first));
            ProcessResult rm = await docker.RunAsync("rm", before);
            Assert.True(rm.ExitCode == 0, docker.Context(rm));
            // The files go after the reply: wait until the directory is parked, so the next container takes it over.
            string parked = Path.Combine(daemon.DataRoot, "containers");
            for (int attempt = 0; attempt < 100 && !Directory.EnumerateDirectories(parked, ".spare-*").Any(); attempt++)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            Assert.NotEmpty(Directory.EnumerateDirectories(parked, ".spare-*"));

            ProcessResult second = await docker.RunAsync("run", "--name", after, "--hostname", "second", image.Reference, "sh", "-c", "cat /etc/hostname; echo said-after");
            Assert.True(second.ExitCode == 0 && second.Stdout == "second\nsaid-after\n", docker.Context(second));
            ProcessResult logs = await docker.RunAsync("logs", after);
            Assert.True(logs.ExitCode == 0 && logs.Stdout == "second\nsaid-after\n", docker.Context(logs));
        }
        finally
        {
            await docker.RunAsync(["rm", "-f", before, after], TimeSpan.FromMinutes(1));
        }
    }
}
