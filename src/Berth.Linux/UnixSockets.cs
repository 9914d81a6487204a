using System.Text;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>
/// AF_UNIX stream sockets on plain fds, for short-lived processes and for ones that poll their own descriptors (the CLI,
/// the shim). Not <see cref="System.Net.Sockets.Socket"/>: the first one a process creates starts the runtime's socket
/// event threads, and each start spins until the new thread runs, which on a busy machine costs about a millisecond.
/// </summary>
public static class UnixSockets
{
    private const int SockaddrLength = 110, MaxPathBytes = 107;

    /// <summary>Connects to the socket at <paramref name="path"/>.</summary>
    public static unsafe SafeFd Connect(string path)
    {
        SafeFd socketFd = Open();
        byte[] address = Address(path, out int length);
        fixed (byte* a = address)
        {
            if (connect(socketFd.Fd, a, length) < 0)
            {
                Errno error = ErrnoText.Last;
                socketFd.Dispose();
                throw new LinuxException(error, "connect", path);
            }
        }

        return socketFd;
    }

    /// <summary>A listening socket bound at <paramref name="path"/>, which must not exist yet.</summary>
    public static unsafe SafeFd Listen(string path, int backlog)
    {
        SafeFd socketFd = Open();
        byte[] address = Address(path, out int length);
        fixed (byte* a = address)
        {
            string? failed = bind(socketFd.Fd, a, length) < 0 ? "bind" : listen(socketFd.Fd, backlog) < 0 ? "listen" : null;
            if (failed is not null)
            {
                Errno error = ErrnoText.Last;
                socketFd.Dispose();
                throw new LinuxException(error, failed, path);
            }
        }

        return socketFd;
    }

    /// <summary>The next connection (blocking, close-on-exec), or null when the client gave up before it was taken.</summary>
    public static SafeFd? TryAccept(SafeFd listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        while (true)
        {
            int fd = accept4(listener.Fd, 0, 0, O_CLOEXEC);
            if (fd >= 0)
            {
                return new SafeFd(fd);
            }

            Errno error = ErrnoText.Last;
            if (error != Errno.EINTR)
            {
                return error is Errno.ECONNABORTED or Errno.EAGAIN ? null : throw new LinuxException(error, "accept4");
            }
        }
    }

    /// <summary>A send that blocks longer than this fails with EAGAIN (SO_SNDTIMEO).</summary>
    public static unsafe void SetSendTimeout(SafeFd socketFd, int milliseconds)
    {
        ArgumentNullException.ThrowIfNull(socketFd);
        const int SO_SNDTIMEO = 21;
        long* timeval = stackalloc long[2];
        timeval[0] = milliseconds / 1000;
        timeval[1] = milliseconds % 1000 * 1000;
        Check.Io(setsockopt(socketFd.Fd, SOL_SOCKET, SO_SNDTIMEO, timeval, 2 * sizeof(long)), "setsockopt");
    }

    /// <summary>Sends all of <paramref name="data"/>; false when the peer is gone or the send timed out. Never raises SIGPIPE.</summary>
    public static unsafe bool TrySendAll(SafeFd socketFd, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(socketFd);
        const int MSG_NOSIGNAL = 0x4000;
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = send(socketFd.Fd, p + done, data.Length - done, MSG_NOSIGNAL);
                if (n < 0 && ErrnoText.Last == Errno.EINTR)
                {
                    continue;
                }

                if (n < 0)
                {
                    return false;
                }

                done += (int)n;
            }
        }

        return true;
    }

    /// <summary>
    /// Shuts a connected socket down both ways, which also wakes a read blocked on it in another thread (closing the
    /// fd would not). A socket already closed is left alone: its number may belong to another file by now.
    /// </summary>
    public static void Shutdown(SafeFd socketFd)
    {
        ArgumentNullException.ThrowIfNull(socketFd);
        bool added = false;
        try
        {
            socketFd.DangerousAddRef(ref added);
            const int SHUT_RDWR = 2;
            _ = shutdown(socketFd.Fd, SHUT_RDWR);
        }
        catch (ObjectDisposedException)
        {
            // Closed already: nothing can be blocked on it.
        }
        finally
        {
            if (added)
            {
                socketFd.DangerousRelease();
            }
        }
    }

    private static SafeFd Open() => new(Check.Io(socket(AF_UNIX, SOCK_STREAM | O_CLOEXEC, 0), "socket"));

    /// <summary>A sockaddr_un for <paramref name="path"/>, and its length with the terminating NUL.</summary>
    private static byte[] Address(string path, out int length)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw new LinuxException(Errno.ENAMETOOLONG, "socket address", path);
        }

        byte[] address = new byte[SockaddrLength];
        address[0] = AF_UNIX;
        length = 2 + Encoding.UTF8.GetBytes(path, address.AsSpan(2, MaxPathBytes)) + 1;
        return address;
    }
}
