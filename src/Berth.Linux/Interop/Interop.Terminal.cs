using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const ulong TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCSCTTY = 0x540E, TIOCGPTN = 0x80045430,
        TIOCSPTLCK = 0x40045431, TCGETS = 0x5401, TCSETS = 0x5402;
    internal const int SOL_SOCKET = 1, SCM_RIGHTS = 1, AF_UNIX = 1, SOCK_STREAM = 1;

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int ioctl(int fd, ulong request, void* argument);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint sendmsg(int fd, MessageHeader* message, int flags);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint recvmsg(int fd, MessageHeader* message, int flags);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int connect(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int shutdown(int fd, int how);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int bind(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int listen(int fd, int backlog);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int accept4(int fd, nint address, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int setsid();

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int dup2(int fd, int target);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int isatty(int fd);

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MessageHeader
    {
        public void* Name;
        public int NameLength;
        public IoVector* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct IoVector
    {
        public void* Base;
        public nuint Length;
    }
}
