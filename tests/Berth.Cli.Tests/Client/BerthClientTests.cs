using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Berth.Api.Exec;
using Berth.Client;

namespace Berth.Cli.Tests.Client;

public sealed class BerthClientTests
{
    [Theory]
    [InlineData("1.45", "1.45")]
    [InlineData("1.50", "1.50")]
    [InlineData("1.52", "1.50")]
    [InlineData(null, "1.40")]
    public async Task The_version_is_min_of_the_daemons_and_ours(string? server, string expected)
    {
        await using var daemon = VersionedDaemon(server);
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath));
        await client.ContainerStartAsync("abc", cancellationToken: TestContext.Current.CancellationToken);
        await client.ContainerStartAsync("abc", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal($"/v{expected}/containers/abc/start", daemon.Requests[^1].Target);
        Assert.Equal(expected, client.ApiVersion);
    }

    [Fact]
    public async Task A_daemon_that_speaks_our_version_is_never_pinged()
    {
        await using var daemon = VersionedDaemon("1.50");
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath));
        await client.ContainerStartAsync("abc", cancellationToken: TestContext.Current.CancellationToken);
        await client.ContainerStopAsync("abc", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["/v1.50/containers/abc/start", "/v1.50/containers/abc/stop"], daemon.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task An_older_daemon_gets_the_same_body_again_once_negotiated()
    {
        await using var daemon = VersionedDaemon("1.44", """{"Id":"c1","Warnings":[]}""");
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath)) { ConnectBlocking = UnixSocketConnection.Open };
        var created = await client.ContainerCreateAsync(new() { Image = "busybox" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("c1", created.Id);
        Assert.Equal(["/v1.50/containers/create", "/_ping", "/v1.44/containers/create"], daemon.Requests.Select(r => r.Target));
        Assert.Equal(daemon.Requests[0].Body, daemon.Requests[2].Body);
        Assert.Contains("\"Image\":\"busybox\"", daemon.Requests[2].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_cannot_be_sent_twice_waits_for_the_negotiation()
    {
        await using var daemon = VersionedDaemon("1.44", "{}");
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath));
        using var content = new StreamContent(new NonSeekableStream("tar"u8.ToArray()));
        using var response = await client.SendAsync(HttpMethod.Post, "images/load", content, TestContext.Current.CancellationToken);
        Assert.Equal(["/_ping", "/v1.44/images/load"], daemon.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task Hijacks_are_negotiated_like_other_requests()
    {
        await using var daemon = VersionedDaemon("1.44", upgrade: true);
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath));
        await using HijackedConnection connection = await client.ContainerAttachAsync("abc", false, true, true, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["/v1.50/containers/abc/attach", "/_ping", "/v1.44/containers/abc/attach"], daemon.Requests.Select(r => r.Target.Split('?')[0]));
    }

    /// <summary>Refuses versions above its own as dockerd does (400, "client version … is too new"); <c>/_ping</c>
    /// reports <paramref name="server"/>, or nothing (then it speaks up to 1.40).</summary>
    private static FakeDaemon VersionedDaemon(string? server, string body = "", bool upgrade = false) => new(async (request, stream) =>
    {
        if (request.Target == "/_ping")
        {
            await FakeDaemon.RespondAsync(stream, 200, "OK", "text/plain", server is null ? [] : [$"Api-Version: {server}"]);
            return;
        }

        string asked = request.Target.Split('/')[1][1..];
        string max = server ?? "1.40";
        if (Version.Parse(asked) > Version.Parse(max))
        {
            await FakeDaemon.RespondAsync(stream, 400, $$"""{"message":"client version {{asked}} is too new. Maximum supported API version is {{max}}"}""");
        }
        else if (upgrade)
        {
            await stream.WriteAsync("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"u8.ToArray());
        }
        else
        {
            await FakeDaemon.RespondAsync(stream, body.Length == 0 ? 204 : 200, body);
        }
    });

    [Fact]
    public async Task Daemon_errors_carry_the_message_and_status()
    {
        await using var daemon = new FakeDaemon((request, stream) => request.Target == "/_ping"
            ? FakeDaemon.RespondAsync(stream, 200, "OK", "text/plain", "Api-Version: 1.50")
            : FakeDaemon.RespondAsync(stream, 404, """{"message":"No such container: nope"}"""));
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath));
        var ex = await Assert.ThrowsAsync<BerthClientException>(() => client.ContainerStopAsync("nope", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("Error response from daemon: No such container: nope", ex.DisplayMessage);
    }

    [Fact]
    public async Task An_absent_socket_reads_like_docker()
    {
        using var client = new BerthClient(EngineHost.Parse("unix:///nonexistent/berth-cli-test.sock"));
        var ex = await Assert.ThrowsAsync<BerthClientException>(() => client.PingAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Cannot connect to the Berth daemon at unix:///nonexistent/berth-cli-test.sock. Is the berth daemon running?", ex.DisplayMessage);
    }

    [Fact]
    public async Task An_absent_socket_reads_like_docker_on_a_blocking_connection_too()
    {
        using var client = new BerthClient(EngineHost.Parse("unix:///nonexistent/berth-cli-test.sock")) { ConnectBlocking = UnixSocketConnection.Open };
        var ex = await Assert.ThrowsAsync<BerthClientException>(() => client.ContainerStartAsync("abc", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("Cannot connect to the Berth daemon at unix:///nonexistent/berth-cli-test.sock. Is the berth daemon running?", ex.DisplayMessage);
    }

    [Fact]
    public async Task Exec_start_upgrades_the_connection_and_streams_both_ways()
    {
        await using var daemon = new FakeDaemon(async (request, stream) =>
        {
            if (request.Target == "/_ping")
            {
                await FakeDaemon.RespondAsync(stream, 200, "OK", "text/plain", "Api-Version: 1.50");
                return;
            }

            Assert.Equal("Upgrade", request.Headers["connection"]);
            Assert.Equal("tcp", request.Headers["upgrade"]);
            Assert.Equal("""{"Detach":false,"Tty":false}""", request.Body);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
            await stream.WriteAsync(Frame(1, "hello\n"));
            // Echo stdin back on stderr until the client half-closes.
            byte[] buffer = new byte[64];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                await stream.WriteAsync(Frame(2, Encoding.UTF8.GetString(buffer, 0, n)));
            }

            stream.Socket.Shutdown(SocketShutdown.Send);
        });
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath));
        await using HijackedConnection connection = await client.ExecStartAttachedAsync("e1", new ExecStartRequest(), TestContext.Current.CancellationToken);
        Assert.True(connection.IsMultiplexed);
        await connection.Input.WriteAsync("ping"u8.ToArray(), TestContext.Current.CancellationToken);
        connection.CloseWrite();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await MultiplexedStream.CopyAsync(connection.Output, stdout, stderr, TestContext.Current.CancellationToken);
        Assert.Equal("hello\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("ping", Encoding.UTF8.GetString(stderr.ToArray()));
        Assert.Equal("/v1.50/exec/e1/start", daemon.Requests[^1].Target);
    }

    [Fact]
    public async Task Hijack_refusals_surface_the_daemon_message()
    {
        await using var daemon = new FakeDaemon((request, stream) => request.Target == "/_ping"
            ? FakeDaemon.RespondAsync(stream, 200, "OK", "text/plain", "Api-Version: 1.50")
            : FakeDaemon.RespondAsync(stream, 409, """{"message":"container abc is not running"}"""));
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath));
        var ex = await Assert.ThrowsAsync<BerthClientException>(() => client.ContainerAttachAsync("abc", true, true, true, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(409, ex.StatusCode);
        Assert.Equal("container abc is not running", ex.Message);
    }

    [Fact]
    public async Task Pull_progress_is_read_as_json_lines()
    {
        await using var daemon = new FakeDaemon((request, stream) => request.Target == "/_ping"
            ? FakeDaemon.RespondAsync(stream, 200, "OK", "text/plain", "Api-Version: 1.50")
            : FakeDaemon.RespondAsync(stream, 200, "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\r\n{\"status\":\"Digest: sha256:x\"}\r\n"));
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath));
        var messages = new List<string?>();
        await foreach (var m in client.ImagePullAsync("busybox", cancellationToken: TestContext.Current.CancellationToken))
        {
            messages.Add(m.Status);
        }

        Assert.Equal(["Pulling from library/busybox", "Digest: sha256:x"], messages);
        Assert.Equal("/v1.50/images/create?fromImage=busybox", daemon.Requests[^1].Target);
    }

    [Fact]
    public async Task Multiplexed_stream_splits_stdout_and_stderr_and_reports_system_errors()
    {
        var source = new MemoryStream([.. Frame(1, "out"), .. Frame(2, "err"), .. Frame(1, "!")]);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await MultiplexedStream.CopyAsync(source, stdout, stderr, TestContext.Current.CancellationToken);
        Assert.Equal("out!", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("err", Encoding.UTF8.GetString(stderr.ToArray()));

        var failing = new MemoryStream([.. Frame(3, "log file went away")]);
        var ex = await Assert.ThrowsAsync<BerthClientException>(() => MultiplexedStream.CopyAsync(failing, stdout, stderr, TestContext.Current.CancellationToken));
        Assert.Equal("log file went away", ex.Message);
        var cut = new MemoryStream(Frame(1, "abc")[..9]);
        await Assert.ThrowsAsync<BerthClientException>(() => MultiplexedStream.CopyAsync(cut, stdout, stderr, TestContext.Current.CancellationToken));
    }

    private static byte[] Frame(byte stream, string text)
    {
        byte[] payload = Encoding.UTF8.GetBytes(text);
        byte[] frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }
}
