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
}
