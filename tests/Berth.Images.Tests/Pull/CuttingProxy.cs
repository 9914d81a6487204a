using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Images.Tests.Pull;

/// <summary>
/// A loopback TCP proxy in front of a registry. The first response to a request whose line contains
/// <see cref="CutOnce"/> is cut after <see cref="CutAfterBytes"/> bytes (connection closed mid-body); later ones pass.
/// <see cref="BytesPerSecond"/> slows every response down (so a test can act mid-transfer).
/// </summary>
internal sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;
    private int _cuts;

    public CuttingProxy(string registryAddress)
    {
        _target = IPEndPoint.Parse(registryAddress);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public string? CutOnce { get; set; }

    public long CutAfterBytes { get; set; } = 64 * 1024;

    public int BytesPerSecond { get; set; }

    /// <summary>How many transfers were cut.</summary>
    public int Cuts => _cuts;

    /// <summary>Request lines seen, with their Range header if any.</summary>
    public List<string> Requests { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (TcpClient c in _clients)
            {
                c.Dispose();
            }
        }

        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            lock (_clients)
            {
                _clients.Add(client);
                _clients.Add(server);
            }

            _ = RelayAsync(client, server);
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient server)
    {
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            NetworkStream up = client.GetStream();
            NetworkStream down = server.GetStream();
            long cutAt = long.MaxValue;
            long sent = 0;
            var requests = Task.Run(async () =>
            {
                byte[] buffer = new byte[16384];
                int n;
                while ((n = await up.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    string text = Encoding.ASCII.GetString(buffer, 0, n);
                    string line = text.Split("\r\n")[0];
                    string range = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase)) ?? "";
                    lock (Requests)
                    {
                        Requests.Add((line + " " + range).Trim());
                    }

                    if (CutOnce is { } pattern && line.Contains(pattern, StringComparison.Ordinal) && Interlocked.CompareExchange(ref _cuts, 1, 0) == 0)
                    {
                        cutAt = Interlocked.Read(ref sent) + CutAfterBytes;
                    }

                    await down.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            });

            byte[] chunk = new byte[16384];
            int read;
            while ((read = await down.ReadAsync(chunk, _stop.Token)) > 0)
            {
                long before = Interlocked.Read(ref sent);
                if (before + read > cutAt)
                {
                    await up.WriteAsync(chunk.AsMemory(0, (int)(cutAt - before)), _stop.Token);
                    break;
                }

                await up.WriteAsync(chunk.AsMemory(0, read), _stop.Token);
                Interlocked.Add(ref sent, read);
                if (BytesPerSecond > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)read / BytesPerSecond), _stop.Token);
                }
            }

            _ = requests;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
