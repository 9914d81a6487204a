using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    // x86-64 numbers for calls glibc lacks or whose glibc wrappers act on every thread
    // (setresuid & co broadcast through SIGSETXID; the init needs per-thread, raw calls).
    internal const long SYS_setresuid = 117, SYS_setresgid = 119, SYS_setgroups = 116,
        SYS_capget = 125, SYS_capset = 126, SYS_pivot_root = 155, SYS_seccomp = 317,
        SYS_pidfd_send_signal = 424, SYS_pidfd_open = 434, SYS_close_range = 436;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);
}
