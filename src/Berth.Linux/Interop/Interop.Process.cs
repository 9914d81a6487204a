using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const int WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x01000000;
    internal const int P_PID = 1, P_PIDFD = 3;
    internal const int PR_SET_PDEATHSIG = 1, PR_SET_KEEPCAPS = 8, PR_CAPBSET_DROP = 24, PR_SET_CHILD_SUBREAPER = 36,
        PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_CLEAR_ALL = 4;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int wait4(int pid, int* status, int options, void* rusage);

    internal const int PRIO_PROCESS = 0;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int setpriority(int which, uint who, int priority);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int prctl(int option, ulong a2, ulong a3, ulong a4, ulong a5);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int unshare(int flags);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int sethostname(byte* name, nint length);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int setdomainname(byte* name, nint length);


    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int execve(byte* path, byte** argv, byte** envp);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int poll(PollFd* fds, ulong count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int pipe2(int* fds, int flags);


    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
