using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Runtime.Lifecycle;

/// <summary>Where a new pty master goes: to the caller's console socket, or kept for a foreground bridge.</summary>
internal static class ConsoleHandoff
{
    /// <summary>runc's rule: a terminal needs someone to hold it.</summary>
    public static void Validate(bool terminal, CreateOptions options)
    {
        if (terminal && options.ConsoleSocket is null && !options.Foreground)
        {
            throw Errors.InvalidArgument("cannot allocate tty if berth-runtime will detach without setting console socket");
        }

        if (!terminal && options.ConsoleSocket is not null)
        {
            throw Errors.InvalidArgument("cannot use console socket if berth-runtime will not allocate tty");
        }
    }

    /// <summary>Sends the master to the console socket and returns null, or returns it for the caller to bridge.</summary>
    public static SafeFd? Deliver(SafeFd? master, CreateOptions options)
    {
        if (master is null || options.ConsoleSocket is null)
        {
            return master;
        }

        using (master)
        using (SafeFd socket = UnixSockets.Connect(options.ConsoleSocket))
        {
            Terminal.SendFd(socket, master, "/dev/ptmx");
        }

        return null;
    }
}
