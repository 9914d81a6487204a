using Berth.Client;
using Berth.Linux;

namespace Berth.Cli;

/// <summary>
/// The CLI's blocking connections to the daemon (<see cref="BerthClient.ConnectBlocking"/>): a Unix socket through plain
/// system calls (<see cref="UnixSockets"/> says why; here it was about a millisecond of a `berth run -d`).
/// </summary>
internal static class UnixSocketConnection
{
    public static BlockingConnection Open(string path)
    {
        SafeFd socket;
        try
        {
            socket = UnixSockets.Connect(path);
        }
        catch (LinuxException ex)
        {
            throw new IOException(ex.Message, ex);
        }

        return new BlockingConnection(new FdStream(socket), () => UnixSockets.Shutdown(socket));
    }
}
