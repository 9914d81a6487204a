using System.Net.Sockets;
using Berth.Linux;

namespace Berth.Testing;

/// <summary>
/// The listening end of <c>--console-socket</c>, as containerd and podman's conmon implement it: an AF_UNIX stream
/// socket at <see cref="Path"/>; the runtime connects and sends the pty master with SCM_RIGHTS.
/// </summary>
public sealed class ConsoleSocket : IDisposable
{
    private readonly Socket _listener;
    private readonly string _dir;

    public ConsoleSocket()
    {
        _dir = Directory.CreateTempSubdirectory("berth-console-").FullName;
        Path = System.IO.Path.Combine(_dir, "console.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(1);
    }

    public string Path { get; }

    /// <summary>Accepts one connection and receives the fd sent on it (null if the peer closed without sending one).</summary>
    public async Task<PtyMaster?> ReceiveMasterAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        using Socket connection = await _listener.AcceptAsync(cts.Token);
        // recvmsg blocks; the runtime sends right after connecting.
        using var borrowed = new SafeFd((int)connection.Handle, ownsHandle: false);
        SafeFd? fd = await Task.Run(() => Terminal.ReceiveFd(borrowed, 256), cts.Token);
        return fd is null ? null : new PtyMaster(fd);
    }

    public void Dispose()
    {
        _listener.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
