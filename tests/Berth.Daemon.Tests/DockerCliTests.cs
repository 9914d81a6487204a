using System.Diagnostics;

namespace Berth.Daemon.Tests;

/// <summary>The real docker CLI (28, preinstalled, no daemon of its own) against berthd with fixed fake data.</summary>
public sealed class DockerCliTests
{
    private static async Task<(int Code, string Out)> DockerAsync(TestServer server, params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOCKER_HOST"] = "unix://" + server.SocketPath;
        start.Environment["DOCKER_CONFIG"] = Path.Combine(server.Root, "docker-config");
        using Process process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        string errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, output + errors);
    }

    private static Task<TestServer> StartAsync() => TestServer.StartAsync(f =>
    {
        f.Containers.Add(TestServer.Container("web", "running"));
        f.Containers.Add(TestServer.Container("old", "exited"));
        f.Images.Add(TestServer.Image("busybox:latest"));
    });

    [Fact]
    public async Task Docker_version_shows_the_server_engine_and_api_range()
    {
        await using TestServer server = await StartAsync();
        (int code, string output) = await DockerAsync(server, "version");
        Assert.Equal(0, code);
        Assert.Contains("Server: Berth Engine", output, StringComparison.Ordinal);
        Assert.Contains("API version:      1.50 (minimum version 1.40)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docker_info_shows_counts_and_host_facts()
    {
        await using TestServer server = await StartAsync();
        (int code, string output) = await DockerAsync(server, "info");
        Assert.Equal(0, code);
        Assert.Contains(" Containers: 2", output, StringComparison.Ordinal);
        Assert.Contains("  Running: 1", output, StringComparison.Ordinal);
        Assert.Contains(" Images: 1", output, StringComparison.Ordinal);
        Assert.Contains(" Cgroup Driver: cgroupfs", output, StringComparison.Ordinal);
        Assert.Contains($" CPUs: {Environment.ProcessorCount}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docker_ps_lists_running_and_with_all_every_container()
    {
        await using TestServer server = await StartAsync();
        (int code, string output) = await DockerAsync(server, "ps");
        Assert.Equal(0, code);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("CONTAINER ID   IMAGE", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("a1b2c3d4e5f6   busybox:latest", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("web", lines[1].TrimEnd(), StringComparison.Ordinal);

        (_, string all) = await DockerAsync(server, "ps", "-a", "--format", "{{.Names}} {{.State}}");
        Assert.Equal("web running\nold exited\n", all);
    }

    [Fact]
    public async Task Docker_images_lists_tags_ids_and_sizes()
    {
        await using TestServer server = await StartAsync();
        (int code, string output) = await DockerAsync(server, "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}");
        Assert.Equal(0, code);
        Assert.Equal("busybox:latest bbbbbbbbbbbb 4.26MB\n", output);
    }

    [Fact]
    public async Task Docker_inspect_of_a_missing_container_prints_Dockers_error()
    {
        await using TestServer server = await StartAsync();
        (int code, string output) = await DockerAsync(server, "stop", "nope");
        Assert.NotEqual(0, code);
        Assert.Contains("No such container: nope", output, StringComparison.Ordinal);
    }
}
