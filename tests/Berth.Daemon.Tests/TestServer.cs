using System.Net.Sockets;
using System.Text;
using Berth.Api.Containers;
using Berth.Api.Images;
using Berth.Daemon.Backends;
using Berth.Daemon.Configuration;
using Berth.Daemon.Events;

namespace Berth.Daemon.Tests;

/// <summary>A real berthd server in-process on a temporary Unix socket, over <see cref="FakeBackends"/>.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(string root, DaemonHost host, FakeBackends fakes, EventBus events)
    {
        Root = root;
        Host = host;
        Fakes = fakes;
        Events = events;
        SocketPath = host.SocketPaths[0];
        Client = CreateClient(SocketPath);
    }

    public string Root { get; }

    public DaemonHost Host { get; }

    public FakeBackends Fakes { get; }

    public EventBus Events { get; }

    public string SocketPath { get; }

    public HttpClient Client { get; }

    public static async Task<TestServer> StartAsync(Action<FakeBackends>? setup = null)
    {
        string root = Path.Combine(Path.GetTempPath(), "berth-daemon-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var fakes = new FakeBackends();
        setup?.Invoke(fakes);
        var events = new EventBus();
        var settings = new DaemonSettings
        {
            Hosts = ["unix://" + Path.Combine(root, "berth.sock")],
            DataRoot = Path.Combine(root, "data"),
            ExecRoot = Path.Combine(root, "run"),
            PidFile = null,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Debug,
        };
        // BERTH_TEST_LOGS=1 shows the daemon's own log on stderr while debugging a test.
        bool logs = Environment.GetEnvironmentVariable("BERTH_TEST_LOGS") == "1";
        var options = new DaemonHostOptions { ConfigureLogging = logs ? null : _ => { }, ShutdownTimeout = TimeSpan.FromSeconds(5) };
        DaemonHost host = await DaemonHost.StartAsync(settings, new DaemonBackends(fakes, fakes, fakes, fakes, events), options, TestContext.Current.CancellationToken);
        return new TestServer(root, host, fakes, events);
    }

    public static HttpClient CreateClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://berth") };
    }

    /// <summary>Sends a raw HTTP request and returns the connected socket, for hijack and malformed-request tests.</summary>
    public async Task<Socket> SendRawAsync(string head, byte[]? body = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        if (body is not null)
        {
            await socket.SendAsync(body);
        }

        return socket;
    }

    /// <summary>Reads an HTTP response head (up to the blank line) byte by byte, leaving the rest on the socket.</summary>
    public static async Task<string> ReadHeadAsync(Socket socket)
    {
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await socket.ReceiveAsync(one) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var all = new MemoryStream();
        byte[] buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    public static ContainerSummary Container(string name, string state) => new()
    {
        Id = name == "web" ? "a1b2c3d4e5f6" + new string('0', 52) : "f6e5d4c3b2a1" + new string('1', 52),
        Names = ["/" + name],
        Image = "busybox:latest",
        ImageId = "sha256:" + new string('b', 64),
        Command = "sh -c 'sleep 1000'",
        Created = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
        State = state,
        Status = state == "running" ? "Up 5 minutes" : "Exited (0) 2 minutes ago",
        HostConfig = new ContainerSummaryHostConfig { NetworkMode = "none" },
    };

    public static ImageSummary Image(string tag) => new()
    {
        Id = "sha256:" + new string('b', 64),
        RepoTags = [tag],
        RepoDigests = ["busybox@sha256:" + new string('d', 64)],
        Created = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeSeconds(),
        Size = 4_261_550,
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
