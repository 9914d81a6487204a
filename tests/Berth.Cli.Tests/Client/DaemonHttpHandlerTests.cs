using System.Net.Sockets;
using System.Text;
using Berth.Client;

namespace Berth.Cli.Tests.Client;

/// <summary>The client's own HTTP/1.1 against a daemon that answers in each of the ways HTTP allows.</summary>
public sealed class DaemonHttpHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_share_one_connection_and_chunked_bodies_are_decoded()
    {
        await using var daemon = new FakeDaemon((request, stream) => request.Target switch
        {
            "/_ping" => FakeDaemon.RespondAsync(stream, 200, "OK", "text/plain", "Api-Version: 1.50"),
            _ => RespondChunkedAsync(stream, "{\"status\":\"one\"}\r\n", "{\"status\":\"two\"}\r\n"),
        });
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath));

        var first = new List<string?>();
        await foreach (var m in client.ImagePullAsync("busybox", cancellationToken: Ct))
        {
            first.Add(m.Status);
        }

        await client.PingAsync(Ct);

        Assert.Equal(["one", "two"], first);
        Assert.Equal(1, daemon.Connections);
    }

    [Fact]
    public async Task A_body_of_unknown_length_goes_up_chunked_and_arrives_whole()
    {
        await using var daemon = new FakeDaemon((request, stream) => FakeDaemon.RespondAsync(stream, 200, "{}"));
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath), "1.50");
        string payload = new('x', 100_000);

        using var content = new StreamContent(new NonSeekableStream(Encoding.ASCII.GetBytes(payload)));
        using var response = await client.SendAsync(HttpMethod.Post, "images/load", content, Ct);

        FakeRequest sent = Assert.Single(daemon.Requests);
        Assert.Equal("chunked", sent.Headers["transfer-encoding"]);
        Assert.Equal(payload, sent.Body);
    }

    [Fact]
    public async Task A_body_that_ends_with_the_connection_is_read_to_the_end_and_the_next_request_opens_another()
    {
        await using var daemon = new FakeDaemon(async (request, stream) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"Id\":\"abc\",\"Warnings\":[]}"u8.ToArray());
            stream.Socket.Shutdown(SocketShutdown.Both);
        });
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath), "1.50");

        var created = await client.ContainerCreateAsync(new() { Image = "busybox" }, cancellationToken: Ct);
        var again = await client.ContainerCreateAsync(new() { Image = "busybox" }, cancellationToken: Ct);

        Assert.Equal(("abc", "abc"), (created.Id, again.Id));
        Assert.Equal(2, daemon.Connections);
    }

    [Fact]
    public async Task A_request_on_a_connection_the_daemon_has_since_closed_is_sent_again_on_a_new_one()
    {
        await using var daemon = new FakeDaemon(async (request, stream) =>
        {
            // Keep-alive as far as the headers say, then gone: what an idle timeout does between two requests.
            await FakeDaemon.RespondAsync(stream, 204, "");
            stream.Socket.Shutdown(SocketShutdown.Both);
        });
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath), "1.50");

        await client.ContainerStartAsync("a", cancellationToken: Ct);
        await Task.Delay(50, Ct);
        await client.ContainerStartAsync("b", cancellationToken: Ct);

        Assert.Equal(["/v1.50/containers/a/start", "/v1.50/containers/b/start"], daemon.Requests.Select(r => r.Target));
        Assert.Equal(2, daemon.Connections);
    }

    [Fact]
    public async Task Blocking_requests_send_bodies_read_whole_answers_and_share_one_connection()
    {
        await using var daemon = new FakeDaemon((request, stream) => request.Target switch
        {
            "/v1.50/containers/create" => FakeDaemon.RespondAsync(stream, 201, """{"Id":"c1","Warnings":[]}"""),
            "/v1.50/containers/json" => RespondChunkedAsync(stream, "[{\"Id\":\"c1\",", "\"Names\":[\"/x\"]}]"),
            _ => FakeDaemon.RespondAsync(stream, 204, ""),
        });
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath)) { ConnectBlocking = UnixSocketConnection.Open };

        var created = await client.ContainerCreateAsync(new() { Image = "busybox" }, cancellationToken: Ct);
        await client.ContainerStartAsync(created.Id, cancellationToken: Ct);
        var listed = await client.ContainerListAsync(cancellationToken: Ct);

        Assert.Equal("c1", Assert.Single(listed).Id);
        Assert.Contains("\"Image\":\"busybox\"", daemon.Requests[0].Body, StringComparison.Ordinal);
        Assert.Equal(1, daemon.Connections);
    }

    [Fact]
    public async Task A_blocked_request_ends_when_cancelled()
    {
        using var release = new CancellationTokenSource();
        await using var daemon = new FakeDaemon(async (request, stream) =>
        {
            // Never answers on its own: only the end of the test lets the handler go.
            await Task.Delay(Timeout.Infinite, release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath), "1.50") { ConnectBlocking = UnixSocketConnection.Open };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task call = Task.Run(() => client.ContainerStopAsync("a", cancellationToken: cancel.Token), Ct);
        while (daemon.Requests.Count == 0)
        {
            await Task.Delay(10, Ct);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await release.CancelAsync();
    }

    [Fact]
    public async Task A_wait_is_never_a_blocking_call()
    {
        var answer = new TaskCompletionSource();
        await using var daemon = new FakeDaemon(async (request, stream) =>
        {
            // The answer comes when the test says so (or after a while, so that a blocking wait fails the test rather than hangs it).
            await Task.WhenAny(answer.Task, Task.Delay(TimeSpan.FromSeconds(10), Ct));
            await FakeDaemon.RespondAsync(stream, 200, """{"StatusCode":3}""");
        });
        using var client = new BerthClient(EngineHost.Parse("unix://" + daemon.SocketPath), "1.50") { ConnectBlocking = UnixSocketConnection.Open };

        Task<Berth.Api.Containers.ContainerWaitResponse> wait = client.ContainerWaitAsync("a", "next-exit", Ct);
        bool pendingWhenReturned = !wait.IsCompleted;
        answer.SetResult();

        Assert.True(pendingWhenReturned);
        Assert.Equal(3, (await wait).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refusal_sent_before_the_body_was_read_reaches_the_caller(bool blocking)
    {
        // A daemon that answers on the head alone and closes: the rest of a large body meets a closed socket.
        string dir = Directory.CreateTempSubdirectory("berth-cli-refuse-").FullName;
        string socketPath = Path.Combine(dir, "d.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        Task refuse = Task.Run(async () =>
        {
            using Socket peer = await listener.AcceptAsync(Ct);
            var head = new List<byte>();
            var one = new byte[1];
            while (!head.AsEnumerable().Reverse().Take(4).SequenceEqual("\n\r\n\r"u8.ToArray()) && await peer.ReceiveAsync(one, Ct) == 1)
            {
                head.Add(one[0]);
            }

            await peer.SendAsync("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 26\r\n\r\n{\"message\":\"bad archive\"}\n"u8.ToArray(), Ct);
            peer.Shutdown(SocketShutdown.Both);
        }, Ct);
        try
        {
            using var client = new BerthClient(EngineHost.Parse("unix://" + socketPath), "1.50") { ConnectBlocking = blocking ? UnixSocketConnection.Open : null };
            using var content = new ByteArrayContent(new byte[8 << 20]);

            var ex = await Assert.ThrowsAsync<BerthClientException>(() => client.SendAsync(HttpMethod.Post, "images/load", content, Ct));

            Assert.Equal((400, "bad archive"), (ex.StatusCode, ex.Message));
            await refuse;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RespondChunkedAsync(NetworkStream stream, params string[] chunks)
    {
        var text = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        foreach (string chunk in chunks)
        {
            text.Append(Encoding.UTF8.GetByteCount(chunk).ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n").Append(chunk).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.Append("0\r\n\r\n").ToString()));
    }
}
