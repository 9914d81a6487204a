namespace Berth.Linux.Tests;

/// <summary>AF_UNIX sockets on plain fds, against the real kernel.</summary>
public sealed class UnixSocketsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-sock-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_listener_takes_a_connection_and_bytes_flow_both_ways()
    {
        string path = Path.Combine(_directory, "s.sock");
        using SafeFd listener = UnixSockets.Listen(path, 4);
        using SafeFd client = UnixSockets.Connect(path);
        using SafeFd server = UnixSockets.TryAccept(listener) ?? throw new InvalidOperationException("no connection");

        Assert.True(UnixSockets.TrySendAll(client, "ping"u8));
        Assert.True(UnixSockets.TrySendAll(server, "pong"u8));

        byte[] buffer = new byte[16];
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer, 0, FileDescriptors.Read(server, buffer)));
        Assert.Equal("pong", System.Text.Encoding.ASCII.GetString(buffer, 0, FileDescriptors.Read(client, buffer)));
    }

    [Fact]
    public void Sending_to_a_peer_that_closed_fails_instead_of_raising_SIGPIPE()
    {
        string path = Path.Combine(_directory, "s.sock");
        using SafeFd listener = UnixSockets.Listen(path, 4);
        using SafeFd client = UnixSockets.Connect(path);
        UnixSockets.TryAccept(listener)!.Dispose();

        Assert.False(UnixSockets.TrySendAll(client, new byte[1 << 20]));
    }

    [Fact]
    public void A_path_too_long_for_a_socket_address_is_an_error_naming_it()
    {
        string path = Path.Combine(_directory, new string('x', 120));

        var ex = Assert.Throws<LinuxException>(() => UnixSockets.Listen(path, 4));

        Assert.Equal(Errno.ENAMETOOLONG, ex.Errno);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connecting_where_nobody_listens_is_an_error_naming_the_path()
    {
        string path = Path.Combine(_directory, "absent.sock");

        var ex = Assert.Throws<LinuxException>(() => UnixSockets.Connect(path));

        Assert.Equal(Errno.ENOENT, ex.Errno);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
