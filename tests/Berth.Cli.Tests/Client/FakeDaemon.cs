using System.Net.Sockets;
using System.Text;

namespace Berth.Cli.Tests.Client;

/// <summary>A minimal HTTP/1.1 responder on a Unix socket: each connection's request is handed to a handler that writes the raw response.</summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-cli-fake-").FullName;

    public FakeDaemon(Func<FakeRequest, NetworkStream, Task> handler)
    {
        SocketPath = Path.Combine(_dir, "d.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptAsync(_stop.Token);
                }
                catch (Exception e) when (_stop.IsCancellationRequested && e is (OperationCanceledException or SocketException or ObjectDisposedException))
                {
                    // Disposing the listener can abort a pending accept as a SocketException rather than a cancellation.
                    return;
                }

                Interlocked.Increment(ref _connections);
                _ = Task.Run(async () =>
                {
                    await using var stream = new NetworkStream(client, ownsSocket: true);
                    while (await FakeRequest.ReadAsync(stream) is { } request)
                    {
                        Requests.Add(request);
                        await handler(request, stream);
                        if (request.Headers.GetValueOrDefault("upgrade") is not null)
                        {
                            return;
                        }
                    }
                });
            }
        });
    }

    private int _connections;

    public string SocketPath { get; }

    /// <summary>How many connections clients have opened.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public List<FakeRequest> Requests { get; } = [];

    public static Task RespondAsync(NetworkStream stream, int status, string body, string contentType = "application/json", params string[] headers)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        string head = $"HTTP/1.1 {status} X\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n";
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(bytes).ToArray()).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _loop;
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
