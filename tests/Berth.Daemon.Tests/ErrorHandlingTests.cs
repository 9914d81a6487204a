using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Daemon.Tests;

public sealed class ErrorHandlingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestServer> StartAsync() => TestServer.StartAsync(f =>
    {
        f.Containers.Add(TestServer.Container("web", "running"));
        f.Containers.Add(TestServer.Container("old", "exited"));
    });

    [Theory]
    [InlineData("GET", "/containers/nope/json", HttpStatusCode.NotFound, "No such container: nope")]
    [InlineData("GET", "/images/nope:1/json", HttpStatusCode.NotFound, "No such image: nope:1")]
    [InlineData("GET", "/no/such/route", HttpStatusCode.NotFound, "page not found")]
    [InlineData("POST", "/containers/old/kill", HttpStatusCode.Conflict, "cannot kill container: old: container f6e5d4c3b2a11111111111111111111111111111111111111111111111111111 is not running")]
    [InlineData("DELETE", "/containers/web", HttpStatusCode.Conflict, "cannot remove container \"/web\": container is running: stop the container before removing or force remove")]
    [InlineData("GET", "/containers/json?all=maybe", HttpStatusCode.BadRequest, "invalid value for all: strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [InlineData("POST", "/containers/web/wait?condition=soon", HttpStatusCode.BadRequest, "invalid condition: \"soon\"")]
    [InlineData("GET", "/containers/web/logs", HttpStatusCode.BadRequest, "Bad parameters: you must choose at least one stream")]
    [InlineData("POST", "/images/create?fromImage=UPPER/Case", HttpStatusCode.BadRequest, null)]
    [InlineData("POST", "/exec/nope/start", HttpStatusCode.NotFound, "No such exec instance: nope")]
    public async Task Errors_map_to_Dockers_status_and_message(string method, string path, HttpStatusCode status, string? message)
    {
        await using TestServer server = await StartAsync();
        using HttpResponseMessage response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        Assert.Equal(status, response.StatusCode);
        if (message is not null)
        {
            Assert.Equal(message, await SystemRouterTests.MessageOf(response));
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(await SystemRouterTests.MessageOf(response)));
        }
    }

    [Fact]
    public async Task Starting_a_running_container_is_304_without_a_body()
    {
        await using TestServer server = await StartAsync();
        using HttpResponseMessage response = await server.Client.PostAsync("/containers/web/start", null, Ct);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData("{\"Image\": ", "invalid JSON")]
    [InlineData("{\"Image\": \"busybox\", \"Tty\": \"yes\"}", "invalid JSON")]
    [InlineData("[1,2]", "invalid JSON")]
    [InlineData("", "config cannot be empty in order to create a container")]
    [InlineData("{\"Cmd\": [\"true\"]}", "config.Image must not be empty")]
    [InlineData("{\"Image\": \"busybox\", \"HostConfig\": {\"RestartPolicy\": {\"Name\": \"sometimes\"}}}", "invalid restart policy")]
    [InlineData("{\"Image\": \"busybox\", \"HostConfig\": {\"AutoRemove\": true, \"RestartPolicy\": {\"Name\": \"always\"}}}", "can't create 'AutoRemove' container with restart policy")]
    [InlineData("{\"Image\": \"busybox\", \"HostConfig\": {\"Memory\": 1024}}", "Minimum memory limit allowed is 6MB")]
    [InlineData("{\"Image\": \"busybox\", \"HostConfig\": {\"Mounts\": [{\"Type\": \"nfs\", \"Target\": \"/x\"}]}}", "invalid mount config for type \"nfs\": mount type unknown")]
    public async Task Bad_create_bodies_are_400(string body, string messageStart)
    {
        await using TestServer server = await StartAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Client.PostAsync("/containers/create", content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(messageStart, await SystemRouterTests.MessageOf(response), StringComparison.Ordinal);
        Assert.Null(server.Fakes.LastCreate);
    }

    [Fact]
    public async Task Bad_container_names_are_400()
    {
        await using TestServer server = await StartAsync();
        using var content = new StringContent("{\"Image\":\"busybox\"}", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Client.PostAsync("/containers/create?name=" + Uri.EscapeDataString("bad name!"), content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", await SystemRouterTests.MessageOf(response));
    }

    [Fact]
    public async Task Create_ignores_unknown_fields_accepts_string_Cmd_and_reads_names_case_insensitively()
    {
        await using TestServer server = await StartAsync();
        const string body = """{"image":"busybox","Cmd":"echo hi","NoSuchField":{"x":[1,2]},"HostConfig":{"Memory":33554432,"NanoCpus":500000000,"Mounts":[{"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":1024}}]},"ExposedPorts":{"80/tcp":{}}}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Client.PostAsync("/v1.50/containers/create?name=x1", content, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("{\"Id\":\"" + new string('c', 64) + "\",\"Warnings\":[]}", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("busybox", server.Fakes.LastCreate!.Image);
        Assert.Equal(["echo hi"], server.Fakes.LastCreate.Cmd);
        Assert.Equal(33554432, server.Fakes.LastCreate.HostConfig!.Memory);
        Assert.Equal(1024, server.Fakes.LastCreate.HostConfig.Mounts![0].TmpfsOptions!.SizeBytes);
        Assert.True(server.Fakes.LastCreate.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.Equal("x1", server.Fakes.LastCreateName);
    }

    [Fact]
    public async Task Name_conflicts_are_409()
    {
        await using TestServer server = await StartAsync();
        using var content = new StringContent("{\"Image\":\"busybox\"}", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Client.PostAsync("/containers/create?name=web", content, Ct);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.StartsWith("Conflict. The container name \"/web\" is already in use", await SystemRouterTests.MessageOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corpus_of_bad_requests_leaves_the_daemon_serving()
    {
        await using TestServer server = await StartAsync();
        string[] raw =
        [
            "GARBAGE\r\n\r\n",
            "GET /_ping HTTP/9.9\r\n\r\n",
            "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{{{{{",
            "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"Image\":",
            "POST /containers/create HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
            "GET /containers/json?filters=%7Bnot-json HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /containers/json?limit=abc HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1.x/info HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v999999999999999999/info HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /exec/e1/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 3\r\n\r\n{{{",
            "POST /containers/web/attach?stream=1&stdin=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
            "GET /" + new string('a', 20000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /images/create?fromImage=" + new string('A', 300) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /auth HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nnull",
            "GET /containers/%2e%2e%2f%2e%2e/json HTTP/1.1\r\nHost: x\r\n\r\n",
        ];
        foreach (string request in raw)
        {
            using Socket socket = await server.SendRawAsync(request);
            socket.Shutdown(SocketShutdown.Send);
            await TestServer.ReadToEndAsync(socket);
        }

        using HttpResponseMessage ping = await server.Client.GetAsync("/_ping", Ct);
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        using HttpResponseMessage list = await server.Client.GetAsync("/containers/json?all=1", Ct);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }
}
