using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const long SYS_rt_sigaction = 13, SYS_rt_sigprocmask = 14;
    internal const int SIG_SETMASK = 2;
    internal const nint SIG_DFL = 0, SIG_IGN = 1;

    /// <summary>The kernel's struct sigaction (x86-64): handler, flags, restorer, mask.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct KernelSigaction
    {
        public nint Handler;
        public ulong Flags;
        public nint Restorer;
        public ulong Mask;
    }
}
