using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20,
        MAP_STACK = 0x20000;

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int mprotect(void* address, nuint length, int protection);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int munmap(void* address, nuint length);

    [LibraryImport("libc")]
    internal static unsafe partial byte* strerror(int errnum);
}
