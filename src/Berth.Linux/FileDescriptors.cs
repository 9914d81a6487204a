using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>Opening and passing file descriptors where .NET's streams do not fit (fifos, O_PATH, namespaces).</summary>
public static class FileDescriptors
{
    public const int ReadOnly = O_RDONLY, WriteOnly = O_WRONLY, ReadWrite = O_RDWR, NonBlocking = O_NONBLOCK, PathOnly = O_PATH,
        Directory = O_DIRECTORY, NoFollow = O_NOFOLLOW, NoControllingTerminal = O_NOCTTY;

    /// <summary>open(2) with O_CLOEXEC always added.</summary>
    public static SafeFd Open(string path, int flags)
    {
        int fd = open(path, flags | O_CLOEXEC, 0);
        return fd < 0 ? throw new LinuxException(ErrnoText.Last, "open", path) : new SafeFd(fd);
    }

    public static SafeFd OpenDirectory(string path) => Open(path, O_RDONLY | O_DIRECTORY);

    /// <summary>Two connected stream sockets, both close-on-exec.</summary>
    public static unsafe (SafeFd First, SafeFd Second) CreateSocketPair()
    {
        const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = O_CLOEXEC;
        int* fds = stackalloc int[2];
        Check.Io(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), "socketpair");
        return (new SafeFd(fds[0]), new SafeFd(fds[1]));
    }

    /// <summary>A pipe, both ends close-on-exec.</summary>
    public static unsafe (SafeFd Read, SafeFd Write) CreatePipe()
    {
        int* fds = stackalloc int[2];
        Check.Io(pipe2(fds, O_CLOEXEC), "pipe2");
        return (new SafeFd(fds[0]), new SafeFd(fds[1]));
    }

    public static void MakeFifo(string path, int mode) => Check.Io(mkfifo(path, mode), "mkfifo", path);

    /// <summary>Marks every fd from <paramref name="first"/> up close-on-exec (close_range CLOSE_RANGE_CLOEXEC).</summary>
    public static void CloseOnExecFrom(int first)
    {
        const long CLOSE_RANGE_CLOEXEC = 4;
        Check.Io(syscall(SYS_close_range, first, uint.MaxValue, CLOSE_RANGE_CLOEXEC, 0, 0, 0), "close_range");
    }

    public static void ChangeDirectory(SafeFd directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Check.Io(fchdir(directory.Fd), "fchdir");
    }

    public static unsafe int Read(SafeFd fd, Span<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(fd);
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = read(fd.Fd, p, buffer.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                if (ErrnoText.Last != Errno.EINTR)
                {
                    throw new LinuxException(ErrnoText.Last, "read");
                }
            }
        }
    }

    public static unsafe void Write(SafeFd fd, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(fd);
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = write(fd.Fd, p + done, data.Length - done);
                if (n < 0)
                {
                    if (ErrnoText.Last == Errno.EINTR)
                    {
                        continue;
                    }

                    throw new LinuxException(ErrnoText.Last, "write");
                }

                done += (int)n;
            }
        }
    }

    /// <summary>Waits until any of the fds is readable (or hung up); returns the index, or -1 on timeout.</summary>
    public static unsafe int WaitReadable(ReadOnlySpan<SafeFd> fds, int timeoutMs)
    {
        const short POLLIN = 1, POLLERR = 8, POLLHUP = 16;
        PollFd* set = stackalloc PollFd[fds.Length];
        for (int i = 0; i < fds.Length; i++)
        {
            set[i] = new PollFd { Fd = fds[i].Fd, Events = POLLIN };
        }

        while (true)
        {
            int rc = poll(set, (ulong)fds.Length, timeoutMs);
            if (rc < 0 && ErrnoText.Last == Errno.EINTR)
            {
                continue;
            }

            Check.Io(rc, "poll");
            for (int i = 0; i < fds.Length; i++)
            {
                if ((set[i].Revents & (POLLIN | POLLERR | POLLHUP)) != 0)
                {
                    return i;
                }
            }

            return -1;
        }
    }
    /// <summary>Sets O_NONBLOCK, so an event loop's read returns EAGAIN instead of blocking.</summary>
    public static void SetNonBlocking(SafeFd fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        int flags = Check.Io(fcntl(fd.Fd, F_GETFL, 0), "fcntl F_GETFL");
        Check.Io(fcntl(fd.Fd, F_SETFL, flags | O_NONBLOCK), "fcntl F_SETFL");
    }

    /// <summary>dup2: makes <paramref name="target"/> (e.g. 0, 1, 2) refer to <paramref name="fd"/>'s file.</summary>
    public static void Duplicate(SafeFd fd, int target)
    {
        ArgumentNullException.ThrowIfNull(fd);
        Check.Io(dup2(fd.Fd, target), "dup2");
    }

    /// <summary>A read that returns -1 instead of throwing when nothing is ready (EAGAIN) or a pty's other side is gone (EIO).</summary>
    public static int TryRead(SafeFd fd, Span<byte> buffer)
    {
        try
        {
            return Read(fd, buffer);
        }
        catch (LinuxException ex) when (ex.Errno == Errno.EAGAIN)
        {
            return -1;
        }
        catch (LinuxException ex) when (ex.Errno == Errno.EIO)
        {
            return 0;
        }
    }
    /// <summary>One write(2) on a non-blocking fd: the count written, or -1 when it would block (EAGAIN).</summary>
    public static unsafe int TryWrite(SafeFd fd, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(fd);
        fixed (byte* p = data)
        {
            while (true)
            {
                nint n = write(fd.Fd, p, data.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                Errno error = ErrnoText.Last;
                if (error == Errno.EAGAIN)
                {
                    return -1;
                }

                if (error != Errno.EINTR)
                {
                    throw new LinuxException(error, "write");
                }
            }
        }
    }
}
