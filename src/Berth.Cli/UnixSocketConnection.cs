using Berth.Client;
using Berth.Linux;

namespace Berth.Cli;

/// <summary>
/// The CLI's blocking connections to the daemon (<see cref="BerthClient.ConnectBlocking"/>): a Unix socket through plain
/// system calls. Not <see cref="System.Net.Sockets.Socket"/>: creating the first one starts the runtime's socket event
/// threads (one per core with inline completions), and each start spins until the new thread runs, which on a busy
/// machine was about a millisecond of a `berth run -d`.
/// </summary>
internal static class UnixSocketConnection
{
    public static BlockingConnection Open(string path)
    {
        SafeFd socket;
        try
        {
            socket = Berth.Linux.Terminal.ConnectUnix(path);
        }
        catch (LinuxException ex)
        {
            throw new IOException(ex.Message, ex);
        }

        return new BlockingConnection(new FdStream(socket), () => Berth.Linux.Terminal.ShutdownSocket(socket));
    }
}
