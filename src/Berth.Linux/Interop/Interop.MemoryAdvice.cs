using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const int MADV_RANDOM = 1, MADV_DONTNEED = 4;

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int madvise(void* address, nuint length, int advice);
}
