using System.Net;
using System.Text.Json;

namespace Berth.Daemon.Tests;

public sealed class SystemRouterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Ping_answers_with_Dockers_headers(string method)
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpResponseMessage response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/_ping"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1.50", response.Headers.GetValues("Api-Version").Single());
        Assert.Equal("linux", response.Headers.GetValues("Ostype").Single());
        Assert.Equal("false", response.Headers.GetValues("Docker-Experimental").Single());
        Assert.Equal("no-cache", response.Headers.GetValues("Pragma").Single());
        Assert.True(response.Headers.CacheControl is { NoCache: true, NoStore: true, MustRevalidate: true });
        Assert.StartsWith("Berth/", string.Join(" ", response.Headers.GetValues("Server")), StringComparison.Ordinal);
        Assert.Equal(method == "GET" ? "OK" : "", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("/version")]
    [InlineData("/v1.40/version")]
    [InlineData("/v1.44/version")]
    [InlineData("/v1.50/version")]
    [InlineData("/v1.50/_ping")]
    public async Task Supported_versions_and_unversioned_paths_are_served(string path)
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpResponseMessage response = await server.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1.51/version", "client version 1.51 is too new. Maximum supported API version is 1.50")]
    [InlineData("/v2.0/info", "client version 2.0 is too new. Maximum supported API version is 1.50")]
    [InlineData("/v1.39/version", "client version 1.39 is too old. Minimum supported API version is 1.40, please upgrade your client to a newer version")]
    public async Task Unsupported_versions_are_400_with_Dockers_message(string path, string message)
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpResponseMessage response = await server.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, await MessageOf(response));
    }

    [Fact]
    public async Task Version_reports_api_range_and_engine_component()
    {
        await using TestServer server = await TestServer.StartAsync();
        using JsonDocument version = JsonDocument.Parse(await server.Client.GetStringAsync("/version", Ct));
        JsonElement root = version.RootElement;
        Assert.Equal("1.50", root.GetProperty("ApiVersion").GetString());
        Assert.Equal("1.40", root.GetProperty("MinAPIVersion").GetString());
        Assert.Equal("linux", root.GetProperty("Os").GetString());
        Assert.Equal("Engine", root.GetProperty("Components")[0].GetProperty("Name").GetString());
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), root.GetProperty("KernelVersion").GetString());
    }

    [Fact]
    public async Task Info_has_host_facts_and_backend_counts()
    {
        await using TestServer server = await TestServer.StartAsync(f =>
        {
            f.Containers.Add(TestServer.Container("web", "running"));
            f.Containers.Add(TestServer.Container("old", "exited"));
            f.Images.Add(TestServer.Image("busybox:latest"));
        });
        using JsonDocument info = JsonDocument.Parse(await server.Client.GetStringAsync("/v1.50/info", Ct));
        JsonElement root = info.RootElement;
        Assert.Equal(2, root.GetProperty("Containers").GetInt32());
        Assert.Equal(1, root.GetProperty("ContainersRunning").GetInt32());
        Assert.Equal(1, root.GetProperty("ContainersStopped").GetInt32());
        Assert.Equal(1, root.GetProperty("Images").GetInt32());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("NCPU").GetInt32());
        Assert.True(root.GetProperty("MemTotal").GetInt64() > 0);
        Assert.Equal("cgroupfs", root.GetProperty("CgroupDriver").GetString());
        Assert.Equal(Path.Combine(server.Root, "data"), root.GetProperty("DockerRootDir").GetString());
        Assert.Equal("inactive", root.GetProperty("Swarm").GetProperty("LocalNodeState").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("ID").GetString()));
    }

    [Fact]
    public async Task Events_replays_history_within_since_until_and_applies_filters()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Events.Publish("container", "start", "abc", new Dictionary<string, string> { ["name"] = "web", ["image"] = "busybox" });
        server.Events.Publish("image", "pull", "busybox:latest");
        server.Events.Publish("container", "die", "abc", new Dictionary<string, string> { ["name"] = "web", ["exitCode"] = "0" });
        long until = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;

        string filters = Uri.EscapeDataString("{\"type\":{\"container\":true}}");
        string body = await server.Client.GetStringAsync($"/events?since=0&until={until}&filters={filters}", Ct);

        string[] lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        Assert.Equal("container", first.RootElement.GetProperty("Type").GetString());
        Assert.Equal("start", first.RootElement.GetProperty("Action").GetString());
        Assert.Equal("start", first.RootElement.GetProperty("status").GetString());
        Assert.Equal("abc", first.RootElement.GetProperty("Actor").GetProperty("ID").GetString());
        Assert.Equal("web", first.RootElement.GetProperty("Actor").GetProperty("Attributes").GetProperty("name").GetString());
        Assert.Equal("local", first.RootElement.GetProperty("scope").GetString());
        Assert.True(first.RootElement.GetProperty("timeNano").GetInt64() > 0);
    }

    [Fact]
    public async Task Events_streams_live_events_to_a_listener()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpResponseMessage response = await server.Client.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        server.Events.Publish("container", "create", "xyz");
        string? line = await reader.ReadLineAsync(Ct);
        using JsonDocument message = JsonDocument.Parse(line!);
        Assert.Equal("create", message.RootElement.GetProperty("Action").GetString());
    }

    [Fact]
    public async Task Events_rejects_unknown_filters()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpResponseMessage response = await server.Client.GetAsync("/events?filters=" + Uri.EscapeDataString("{\"colour\":{\"red\":true}}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid filter 'colour'", await MessageOf(response));
    }

    [Fact]
    public async Task System_df_returns_backend_usage()
    {
        await using TestServer server = await TestServer.StartAsync(f => f.Images.Add(TestServer.Image("busybox:latest")));
        using JsonDocument df = JsonDocument.Parse(await server.Client.GetStringAsync("/system/df", Ct));
        Assert.Equal(4_261_550, df.RootElement.GetProperty("LayersSize").GetInt64());
        Assert.Equal(1, df.RootElement.GetProperty("Images").GetArrayLength());
    }

    internal static async Task<string?> MessageOf(HttpResponseMessage response)
    {
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("message").GetString();
    }
}
