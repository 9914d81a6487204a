namespace Berth.Linux;

/// <summary>Turns a C return code into a <see cref="LinuxException"/> carrying errno, call and path.</summary>
internal static class Check
{
    public static int Io(int rc, string operation, string? path = null) =>
        rc < 0 ? throw new LinuxException(ErrnoText.Last, operation, path) : rc;

    public static long Io(long rc, string operation, string? path = null) =>
        rc < 0 ? throw new LinuxException(ErrnoText.Last, operation, path) : rc;

    public static Errno Try(int rc) => rc < 0 ? ErrnoText.Last : Errno.None;

    public static Errno Try(long rc) => rc < 0 ? ErrnoText.Last : Errno.None;
}
