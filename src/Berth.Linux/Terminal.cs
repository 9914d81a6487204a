using System.Text;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>Pseudo-terminals and passing their master end between processes (SCM_RIGHTS), as runc's console socket does.</summary>
public static class Terminal
{
    /// <summary>Opens a new pty from a ptmx device (a devpts instance's own, for containers); returns master, slave and the slave's number.</summary>
    public static unsafe (SafeFd Master, SafeFd Slave, int Number) OpenPty(string ptmxPath, string ptsDirectory)
    {
        SafeFd master = FileDescriptors.Open(ptmxPath, FileDescriptors.ReadWrite | FileDescriptors.NoControllingTerminal);
        try
        {
            int unlock = 0, number = 0;
            Check.Io(ioctl(master.Fd, TIOCSPTLCK, &unlock), "ioctl TIOCSPTLCK", ptmxPath);
            Check.Io(ioctl(master.Fd, TIOCGPTN, &number), "ioctl TIOCGPTN", ptmxPath);
            SafeFd slave = FileDescriptors.Open(Path.Combine(ptsDirectory, number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                FileDescriptors.ReadWrite | FileDescriptors.NoControllingTerminal);
            return (master, slave, number);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    public static unsafe void SetSize(SafeFd fd, ushort rows, ushort columns)
    {
        ArgumentNullException.ThrowIfNull(fd);
        ushort* size = stackalloc ushort[4] { rows, columns, 0, 0 };
        Check.Io(ioctl(fd.Fd, TIOCSWINSZ, size), "ioctl TIOCSWINSZ");
    }

    /// <summary>The window size of a terminal fd, or null when it is not a terminal.</summary>
    public static unsafe (ushort Rows, ushort Columns)? GetSize(int fd)
    {
        ushort* size = stackalloc ushort[4];
        return ioctl(fd, TIOCGWINSZ, size) == 0 ? (size[0], size[1]) : null;
    }

    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    /// <summary>Makes <paramref name="slave"/> the controlling terminal and stdio of this process (a new session).</summary>
    public static unsafe void BecomeControllingTerminal(SafeFd slave)
    {
        ArgumentNullException.ThrowIfNull(slave);
        Check.Io(setsid(), "setsid");
        Check.Io(ioctl(slave.Fd, TIOCSCTTY, null), "ioctl TIOCSCTTY");
        for (int target = 0; target <= 2; target++)
        {
            Check.Io(dup2(slave.Fd, target), "dup2");
        }
    }

    /// <summary>Puts a terminal in raw mode (cfmakeraw) and returns the previous settings to restore.</summary>
    public static unsafe byte[]? MakeRaw(int fd)
    {
        byte[] saved = new byte[60]; // struct termios (kernel TCGETS layout)
        fixed (byte* p = saved)
        {
            if (ioctl(fd, TCGETS, p) != 0)
            {
                return null;
            }

            byte[] raw = (byte[])saved.Clone();
            fixed (byte* r = raw)
            {
                uint* flags = (uint*)r; // iflag, oflag, cflag, lflag
                flags[0] &= ~(0x1u | 0x2u | 0x8u | 0x20u | 0x40u | 0x80u | 0x100u | 0x400u); // IGNBRK BRKINT PARMRK ISTRIP INLCR IGNCR ICRNL IXON
                flags[1] &= ~0x1u; // OPOST
                flags[3] &= ~(0x8u | 0x40u | 0x2u | 0x1u | 0x8000u); // ECHO ECHONL ICANON ISIG IEXTEN
                flags[2] &= ~(0x30u | 0x100u); // CSIZE PARENB
                flags[2] |= 0x30u; // CS8
                r[17 + 6] = 1; // c_cc[VMIN] (c_line at 16, c_cc from 17)
                r[17 + 5] = 0; // c_cc[VTIME]
                _ = ioctl(fd, TCSETS, r);
            }
        }

        return saved;
    }

    public static unsafe void Restore(int fd, byte[] settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        fixed (byte* p = settings)
        {
            _ = ioctl(fd, TCSETS, p);
        }
    }

    /// <summary>Sends one fd with SCM_RIGHTS plus a short payload (runc sends the pty's name).</summary>
    public static unsafe void SendFd(SafeFd socketFd, SafeFd fd, string payload)
    {
        ArgumentNullException.ThrowIfNull(socketFd);
        ArgumentNullException.ThrowIfNull(fd);
        ArgumentException.ThrowIfNullOrEmpty(payload);
        byte[] data = Encoding.UTF8.GetBytes(payload);
        byte* control = stackalloc byte[24]; // CMSG_SPACE(sizeof(int)) on x86-64
        new Span<byte>(control, 24).Clear();
        *(ulong*)control = 20; // cmsg_len = CMSG_LEN(sizeof(int))
        ((int*)control)[2] = SOL_SOCKET;
        ((int*)control)[3] = SCM_RIGHTS;
        ((int*)control)[4] = fd.Fd;
        fixed (byte* d = data)
        {
            var iov = new IoVector { Base = d, Length = (nuint)data.Length };
            var message = new MessageHeader { Iov = &iov, IovLength = 1, Control = control, ControlLength = 24 };
            Check.Io((long)sendmsg(socketFd.Fd, &message, 0), "sendmsg SCM_RIGHTS");
        }
    }

    /// <summary>
    /// Receives one fd sent with <see cref="SendFd"/>, reading exactly <paramref name="payloadLength"/> bytes of
    /// payload so nothing sent after it on a stream socket is consumed; null at end of stream.
    /// </summary>
    public static unsafe SafeFd? ReceiveFd(SafeFd socketFd, int payloadLength)
    {
        ArgumentNullException.ThrowIfNull(socketFd);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, 256);
        byte* buffer = stackalloc byte[256];
        byte* control = stackalloc byte[24];
        new Span<byte>(control, 24).Clear();
        var iov = new IoVector { Base = buffer, Length = (nuint)payloadLength };
        var message = new MessageHeader { Iov = &iov, IovLength = 1, Control = control, ControlLength = 24 };
        const int MSG_CMSG_CLOEXEC = 0x40000000;
        nint n = recvmsg(socketFd.Fd, &message, MSG_CMSG_CLOEXEC);
        Check.Io((long)n, "recvmsg");
        if (n == 0 || message.ControlLength < 20 || ((int*)control)[3] != SCM_RIGHTS)
        {
            return null;
        }

        return new SafeFd(((int*)control)[4]);
    }
}
