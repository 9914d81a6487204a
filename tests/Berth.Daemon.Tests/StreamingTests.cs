using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Core.Progress;
using Berth.Daemon.Backends;

namespace Berth.Daemon.Tests;

public sealed class StreamingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestServer> StartAsync(bool tty = false) => TestServer.StartAsync(f =>
    {
        f.Containers.Add(TestServer.Container("web", "running"));
        f.Tty = tty;
    });

    [Fact]
    public async Task Exec_start_upgrades_reads_its_body_and_multiplexes_both_directions_with_half_close()
    {
        await using TestServer server = await StartAsync();
        byte[] body = Encoding.UTF8.GetBytes("{\"Detach\":false,\"Tty\":false}");
        using Socket socket = await server.SendRawAsync(
            "POST /v1.50/exec/e1/start HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Type: application/json\r\n" +
            $"Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: {body.Length}\r\n\r\n", body);

        string head = await TestServer.ReadHeadAsync(socket);
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            // Only on failure: reading to the end first would wait for a stream that ends after our stdin does.
            Assert.Fail(head + Encoding.UTF8.GetString(await TestServer.ReadToEndAsync(socket)));
        }

        Assert.Contains("Content-Type: application/vnd.docker.multiplexed-stream", head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Upgrade: tcp", head, StringComparison.OrdinalIgnoreCase);

        await socket.SendAsync("hello\n"u8.ToArray());
        socket.Shutdown(SocketShutdown.Send);       // the client's stdin ends; output must still arrive
        List<(byte Stream, string Text)> frames = ParseFrames(await TestServer.ReadToEndAsync(socket));

        Assert.Equal("HELLO\n", string.Concat(frames.Where(f => f.Stream == 1).Select(f => f.Text)));
        Assert.Equal([(2, "stdin closed\n")], frames.Where(f => f.Stream == 2).ToList());
        Assert.False(server.Fakes.LastExecStart!.Detach);
    }

    [Fact]
    public async Task Connection_close_closes_the_socket_after_a_bodiless_reply_without_waiting_for_the_client()
    {
        // Docker.DotNet sends Connection: close and reads a 204 until the daemon closes; it never closes first.
        await using TestServer server = await StartAsync();
        using Socket socket = await server.SendRawAsync("POST /containers/web/stop HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        byte[] reply = await TestServer.ReadToEndAsync(socket).WaitAsync(TimeSpan.FromMinutes(1), Ct);

        Assert.StartsWith("HTTP/1.1 204", Encoding.ASCII.GetString(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_with_tty_is_a_raw_stream()
    {
        await using TestServer server = await StartAsync(tty: true);
        using Socket socket = await server.SendRawAsync(
            "POST /containers/web/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        string head = await TestServer.ReadHeadAsync(socket);
        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
        Assert.Contains("application/vnd.docker.raw-stream", head, StringComparison.Ordinal);

        await socket.SendAsync("abc"u8.ToArray());
        socket.Shutdown(SocketShutdown.Send);
        Assert.Equal("ABCstdin closed\n", Encoding.ASCII.GetString(await TestServer.ReadToEndAsync(socket)));
    }

    [Fact]
    public async Task Attach_to_a_missing_container_is_404_before_any_upgrade()
    {
        await using TestServer server = await StartAsync();
        using Socket socket = await server.SendRawAsync("POST /containers/nope/attach?stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        string head = await TestServer.ReadHeadAsync(socket);
        Assert.StartsWith("HTTP/1.1 404", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_are_multiplexed_with_optional_timestamps()
    {
        await using TestServer server = await StartAsync();
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234500);
        server.Fakes.Logs.Add(new LogEntry(1, at, "out\n"u8.ToArray()));
        server.Fakes.Logs.Add(new LogEntry(2, at, "err\n"u8.ToArray()));

        using HttpResponseMessage response = await server.Client.GetAsync("/containers/web/logs?stdout=1&stderr=1&timestamps=1", Ct);

        Assert.Equal("application/vnd.docker.multiplexed-stream", response.Content.Headers.ContentType!.MediaType);
        List<(byte Stream, string Text)> frames = ParseFrames(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal([(1, "2026-01-02T03:04:05.12345Z out\n"), (2, "2026-01-02T03:04:05.12345Z err\n")], frames);
    }

    [Fact]
    public async Task Logs_until_zero_means_no_end_as_with_moby()
    {
        // Docker.DotNet (Testcontainers' log wait strategy) always sends until=0.
        await using TestServer server = await StartAsync();
        server.Fakes.Logs.Add(new LogEntry(1, DateTimeOffset.UnixEpoch.AddDays(1), "ready\n"u8.ToArray()));

        using HttpResponseMessage unbounded = await server.Client.GetAsync("/containers/web/logs?stdout=1&stderr=1&since=0&until=0", Ct);
        Assert.Equal([(1, "ready\n")], ParseFrames(await unbounded.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Null(server.Fakes.LastLogs!.Until);
        Assert.Equal(DateTimeOffset.UnixEpoch, server.Fakes.LastLogs.Since);

        using HttpResponseMessage bounded = await server.Client.GetAsync("/containers/web/logs?stdout=1&until=10", Ct);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(10), server.Fakes.LastLogs.Until);
    }

    [Fact]
    public async Task Pull_streams_json_lines_and_reports_a_late_failure_in_band()
    {
        await using TestServer server = await TestServer.StartAsync(f =>
        {
            f.PullEvents.Add(new ProgressEvent("latest", "Pulling from library/busybox"));
            f.PullEvents.Add(new ProgressEvent("abcdef012345", "Downloading") { Current = 10, Total = 100 });
            f.PullFailure = Errors.Internal("connection reset by registry");
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/images/create?fromImage=docker.io/library/busybox&tag=1.36");
        request.Headers.Add("X-Registry-Auth", Convert.ToBase64String("{\"username\":\"u\",\"password\":\"p\"}"u8.ToArray()).TrimEnd('='));
        using HttpResponseMessage response = await server.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string[] lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "{\"status\":\"Pulling from library/busybox\",\"progressDetail\":{},\"id\":\"latest\"}",
            "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":10,\"total\":100},\"id\":\"abcdef012345\"}",
            "{\"errorDetail\":{\"message\":\"connection reset by registry\"},\"error\":\"connection reset by registry\"}",
        ], lines);
        Assert.Equal("docker.io/library/busybox:1.36", server.Fakes.LastPull!.ToString());
        Assert.Equal("u", server.Fakes.LastPullAuth!.Username);
    }

    [Fact]
    public async Task Pull_failing_before_any_output_is_an_http_error()
    {
        await using TestServer server = await TestServer.StartAsync(f => f.PullFailure = Errors.NotFound("pull access denied for nope, repository does not exist or may require 'docker login'"));
        using HttpResponseMessage response = await server.Client.PostAsync("/images/create?fromImage=nope&tag=latest", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("pull access denied for nope", await SystemRouterTests.MessageOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_sends_headers_before_the_container_exits()
    {
        await using TestServer server = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/containers/web/wait?condition=next-exit");
        using HttpResponseMessage response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        // Headers are here while the wait is still pending: only now does the container "exit".
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(server.Fakes.WaitResult.Task.IsCompleted);
        server.Fakes.WaitResult.SetResult(new ContainerWaitResponse { StatusCode = 3 });
        Assert.Equal("{\"StatusCode\":3}", (await response.Content.ReadAsStringAsync(Ct)).Trim());
    }

    [Fact]
    public async Task Archive_head_carries_the_path_stat_header_and_put_streams_the_body()
    {
        await using TestServer server = await StartAsync();
        using HttpResponseMessage head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/containers/web/archive?path=/etc/hostname"), Ct);
        string stat = Encoding.UTF8.GetString(Convert.FromBase64String(head.Headers.GetValues("X-Docker-Container-Path-Stat").Single()));
        Assert.Equal("{\"name\":\"hostname\",\"size\":5,\"mode\":420,\"mtime\":\"1970-01-01T00:00:00Z\",\"linkTarget\":\"\"}", stat);

        using var content = new ByteArrayContent([1, 2, 3]);
        using HttpResponseMessage put = await server.Client.PutAsync("/containers/web/archive?path=/tmp", content, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal([1, 2, 3], server.Fakes.LastPut);
    }

    [Fact]
    public async Task Image_tag_parses_repo_and_tag()
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpResponseMessage response = await server.Client.PostAsync("/images/busybox:latest/tag?repo=localhost:5000/team/bb&tag=v1", null, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("localhost:5000/team/bb:v1", server.Fakes.LastTag!.ToString());
    }

    [Fact]
    public async Task Image_routes_accept_names_with_slashes()
    {
        await using TestServer server = await TestServer.StartAsync(f => f.Images.Add(TestServer.Image("localhost:5000/team/bb:v1")));
        using HttpResponseMessage response = await server.Client.GetAsync("/v1.43/images/localhost:5000/team/bb:v1/json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument image = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(4_261_550, image.RootElement.GetProperty("VirtualSize").GetInt64());   // pre-1.44 clients get it
    }

    internal static List<(byte Stream, string Text)> ParseFrames(byte[] data)
    {
        var frames = new List<(byte, string)>();
        int offset = 0;
        while (offset + 8 <= data.Length)
        {
            byte stream = data[offset];
            int size = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset + 4));
            frames.Add((stream, Encoding.UTF8.GetString(data, offset + 8, size)));
            offset += 8 + size;
        }

        Assert.Equal(data.Length, offset);
        return frames;
    }
}
