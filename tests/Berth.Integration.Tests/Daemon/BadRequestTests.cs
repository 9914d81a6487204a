using Berth.Testing.Registry;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using Berth.Testing;
using Berth.Testing.Engines;

namespace Berth.Integration.Tests.Daemon;

/// <summary>
/// Bad requests straight over the socket and through the docker CLI: each gets Docker's status code and a JSON
/// <c>{"message": …}</c> naming what is wrong, and berthd keeps serving afterwards.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class BadRequestTests(LocalRegistryFixture registry, BerthdFixture berthd) : IClassFixture<BerthdFixture>
{
    /// <summary>The corpus: method, path, JSON body (or null), Docker's status, a part of Docker's message.</summary>
    public static TheoryData<string, string, string?, int, string> Corpus => new()
    {
        { "POST", "/v1.50/containers/create", "{not json", 400, "" },
        { "POST", "/v1.50/containers/create", "[1, 2]", 400, "" },
        { "POST", "/v1.50/containers/create", "{\"Image\": 5}", 400, "" },
        { "POST", "/v1.50/containers/create", "{\"Image\": \"IMAGE\", \"HostConfig\": {\"Memory\": \"lots\"}}", 400, "" },
        { "POST", "/v1.50/containers/create", "{\"Image\": \"IMAGE\", \"Env\": {\"A\": \"B\"}}", 400, "" },
        { "POST", "/v1.50/containers/create", "{\"Image\": \"Not::A/Reference\"}", 400, "invalid reference format" },
        { "POST", "/v1.50/containers/create?name=bad%20name", "{\"Image\": \"IMAGE\"}", 400, "Invalid container name" },
        { "POST", "/v1.50/images/create?fromImage=Not::A/Reference", null, 400, "invalid reference format" },
        { "GET", "/v1.50/containers/no-such-container-b4d/json", null, 404, "No such container: no-such-container-b4d" },
        { "POST", "/v1.50/containers/no-such-container-b4d/start", null, 404, "No such container: no-such-container-b4d" },
        { "DELETE", "/v1.50/containers/no-such-container-b4d", null, 404, "No such container: no-such-container-b4d" },
        { "GET", "/v1.50/images/no-such-image-b4d/json", null, 404, "No such image: no-such-image-b4d" },
        { "GET", "/v1.50/containers/json?filters=notjson", null, 400, "" },
        { "GET", "/v1.50/no/such/endpoint", null, 404, "page not found" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Bad_request_gets_dockers_status_and_a_json_message(string method, string path, string? body, int status, string message)
    {
        (BerthDaemonProcess daemon, BusyboxImage image) = await PrepareAsync();
        (HttpStatusCode code, string text) = await SendAsync(daemon, method, path, body?.Replace("IMAGE", image.Reference, StringComparison.Ordinal));
        string context = $"{method} {path} {body}\n→ {(int)code} {text}\n--- berthd log (tail) ---\n{string.Join('\n', daemon.Log.Split('\n').TakeLast(30))}";
        Assert.True((int)code == status, context);
        string? actual = null;
        try
        {
            using JsonDocument json = JsonDocument.Parse(text);
            actual = json.RootElement.TryGetProperty("message", out JsonElement m) ? m.GetString() : null;
        }
        catch (JsonException)
        {
        }

        Assert.True(!string.IsNullOrWhiteSpace(actual), context);
        Assert.True(actual!.Contains(message, StringComparison.Ordinal), context);
    }

    [Fact]
    public async Task Name_clash_is_409_conflict()
    {
        (BerthDaemonProcess daemon, BusyboxImage image) = await PrepareAsync();
        var docker = new DockerCli(daemon);
        string name = DockerCli.UniqueName("clash");
        try
        {
            ProcessResult first = await docker.RunAsync("create", "--name", name, image.Reference, "true");
            Assert.True(first.ExitCode == 0, docker.Context(first));
            (HttpStatusCode code, string text) = await SendAsync(daemon, "POST", $"/v1.50/containers/create?name={name}", $"{{\"Image\": \"{image.Reference}\"}}");
            using JsonDocument json = JsonDocument.Parse(text);
            string? message = json.RootElement.TryGetProperty("message", out JsonElement m) ? m.GetString() : null;
            Assert.True(code == HttpStatusCode.Conflict && message is not null && message.Contains($"The container name \"/{name}\" is already in use", StringComparison.Ordinal), docker.Context($"{(int)code} {text}"));
            ProcessResult second = await docker.RunAsync("create", "--name", name, image.Reference, "true");
            Assert.True(second.ExitCode != 0 && second.Stderr.Contains("Conflict.", StringComparison.Ordinal), docker.Context(second));
        }
        finally
        {
            await docker.RunAsync("rm", "-f", name);
        }
    }

    /// <summary>Templates are the CLI's business; the point is that the CLI gets far enough to report them, and exits 1 (Docker's status).</summary>
    [Theory]
    [InlineData("ps", "--format", "{{.Nope")]
    [InlineData("images", "--format", "{{.ID")]
    [InlineData("inspect", "--format", "{{.State.Nope}}", "CONTAINER")]
    public async Task Bad_format_template_is_reported_by_the_cli(params string[] args)
    {
        (BerthDaemonProcess daemon, BusyboxImage image) = await PrepareAsync();
        var docker = new DockerCli(daemon);
        string name = DockerCli.UniqueName("fmt");
        (await docker.RunAsync("create", "--name", name, image.Reference, "true")).EnsureSuccess();
        try
        {
            ProcessResult result = await docker.RunAsync([.. args.Select(a => a == "CONTAINER" ? name : a)], TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode != 0 && result.Stderr.Contains("template", StringComparison.Ordinal), docker.Context(result));
        }
        finally
        {
            await docker.RunAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task After_the_whole_corpus_berthd_still_pings_and_runs_a_container()
    {
        (BerthDaemonProcess daemon, BusyboxImage image) = await PrepareAsync();
        foreach (TheoryDataRow<string, string, string?, int, string> row in Corpus)
        {
            (string method, string path, string? body, _, _) = row.Data;
            _ = await SendAsync(daemon, method, path, body?.Replace("IMAGE", image.Reference, StringComparison.Ordinal));
        }

        // Truncated and garbage requests at the HTTP level too.
        await SendRawAsync(daemon, "POST /v1.50/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"Ima");
        await SendRawAsync(daemon, "\0\u0001garbage\r\n\r\n");

        (HttpStatusCode code, string text) = await SendAsync(daemon, "GET", "/_ping", null);
        Assert.True(code == HttpStatusCode.OK && text == "OK", $"{(int)code} {text}\n{daemon.Log}");
        var docker = new DockerCli(daemon);
        ProcessResult run = await docker.RunAsync("run", "--rm", image.Reference, "true");
        Assert.True(run.ExitCode == 0, docker.Context(run));
    }

    private static async Task<(HttpStatusCode Code, string Text)> SendAsync(BerthDaemonProcess daemon, string method, string path, string? body)
    {
        using HttpClient http = daemon.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Writes <paramref name="raw"/> and closes the connection, whatever comes back.</summary>
    private static async Task SendRawAsync(BerthDaemonProcess daemon, string raw)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(daemon.Socket), TestContext.Current.CancellationToken);
        await socket.SendAsync(Encoding.UTF8.GetBytes(raw), System.Net.Sockets.SocketFlags.None, TestContext.Current.CancellationToken);
        socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, cts.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
    }

    private async Task<(BerthDaemonProcess Daemon, BusyboxImage Image)> PrepareAsync()
    {
        Requires.Root().Runtime().LocalRegistry();
        (LocalRegistry reg, BusyboxImage image) = await registry.GetAsync();
        BerthDaemonProcess daemon = await berthd.GetAsync(reg);
        // The image must be present for the create requests to get past the image lookup.
        await new DockerCli(daemon).RunAsync("pull", image.Reference);
        return (daemon, image);
    }
}
