using Berth.Testing.Registry;
using System.Text;
using Berth.Testing;
using Berth.Testing.Engines;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;

namespace Berth.Integration.Tests.Daemon;

/// <summary>Docker.DotNet.Enhanced and Testcontainers for .NET, unchanged, against berthd's socket.</summary>
[Trait("Category", "Privileged")]
public sealed class ClientLibraryTests(LocalRegistryFixture registry, BerthdFixture berthd) : IClassFixture<BerthdFixture>
{
    [Fact]
    public async Task DockerDotNet_creates_starts_waits_for_reads_logs_of_and_removes_a_container()
    {
        (BerthDaemonProcess daemon, BusyboxImage image) = await PrepareAsync();
        using DockerClient client = new DockerClientBuilder().WithEndpoint(new Uri(daemon.DockerHost)).Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string repository = image.Reference[..image.Reference.LastIndexOf(':')];
        await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = "latest" }, null, new Progress<JSONMessage>(), cts.Token);

        string name = DockerCli.UniqueName("dotnet");
        CreateContainerResponse created = await client.Containers.CreateContainerAsync(
            new CreateContainerParameters { Name = name, Image = image.Reference, Cmd = ["sh", "-c", "echo out; echo err >&2; exit 5"] }, cts.Token);
        string step = "start";
        try
        {
            Assert.Matches("^[0-9a-f]{64}$", created.ID);
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cts.Token);
            step = "wait";
            ContainerWaitResponse wait = await client.Containers.WaitContainerAsync(created.ID, cts.Token);
            Assert.True(wait.StatusCode == 5, daemon.Log);

            step = "logs";
            using MultiplexedStream logs = await client.Containers.GetContainerLogsAsync(created.ID, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cts.Token);
            (string stdout, string stderr) = await logs.ReadOutputToEndAsync(cts.Token);
            Assert.Equal("out\n", stdout);
            Assert.Equal("err\n", stderr);

            step = "inspect";
            ContainerInspectResponse inspect = await client.Containers.InspectContainerAsync(created.ID, cts.Token);
            Assert.Equal("exited", inspect.State?.Status);
            Assert.Equal(5, inspect.State?.ExitCode);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Docker.DotNet: {step} did not complete in 2 min\n--- berthd log (tail) ---\n{string.Join('\n', daemon.Log.Split('\n').TakeLast(30))}");
        }
        finally
        {
            using var removal = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, removal.Token);
        }

        IList<ContainerListResponse> all = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, cts.Token);
        Assert.DoesNotContain(all, c => c.ID == created.ID);
    }

    [Fact]
    public async Task Testcontainers_starts_on_a_log_line_execs_copies_and_disposes()
    {
        (BerthDaemonProcess daemon, BusyboxImage image) = await PrepareAsync();
        // The reaper (Ryuk) needs container networking berthd does not have yet.
        TestcontainersSettings.ResourceReaperEnabled = false;
        // Clean-up stays on (the default): dispose then removes the container; WithCleanUp(false) would only stop it.
        IContainer container = new ContainerBuilder(image.Reference)
            .WithDockerEndpoint(daemon.DockerHost)
            .WithCommand("sh", "-c", "echo ready; sleep 300")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("ready"))
            .Build();
        string id;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(cts.Token);
            id = container.Id;

            ExecResult exec = await container.ExecAsync(["sh", "-c", "echo from exec; exit 4"], cts.Token);
            Assert.True(exec.ExitCode == 4 && exec.Stdout == "from exec\n", $"{exec.ExitCode} {exec.Stdout} {exec.Stderr}\n{daemon.Log}");

            byte[] content = Encoding.UTF8.GetBytes("copied in " + Guid.NewGuid() + "\n");
            await container.CopyAsync(content, "/tmp/copied.txt", ct: cts.Token);
            byte[] back = await container.ReadFileAsync("/tmp/copied.txt", cts.Token);
            Assert.Equal(content, back);
        }
        finally
        {
            await container.DisposeAsync();
        }

        using DockerClient client = new DockerClientBuilder().WithEndpoint(new Uri(daemon.DockerHost)).Build();
        IList<ContainerListResponse> all = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(all, c => c.ID == id);
    }

    private async Task<(BerthDaemonProcess Daemon, BusyboxImage Image)> PrepareAsync()
    {
        Requires.Root().Runtime().LocalRegistry();
        (LocalRegistry reg, BusyboxImage image) = await registry.GetAsync();
        return (await berthd.GetAsync(reg), image);
    }
}
