using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>The C library's message for an errno ("No such file or directory").</summary>
public static class ErrnoText
{
    public static unsafe string Of(Errno errno) =>
        Marshal.PtrToStringUTF8((nint)Interop.Libc.strerror((int)errno)) ?? $"errno {(int)errno}";

    /// <summary>The errno left by the last P/Invoke on this thread.</summary>
    public static Errno Last => (Errno)Marshal.GetLastPInvokeError();
}
