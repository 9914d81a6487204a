namespace Berth.Linux;

/// <summary>Opening descriptors that callers outside this assembly need without touching the interop layer.</summary>
public static class FileDescriptors
{
    /// <summary>
    /// An O_PATH directory fd: it pins the directory without read access, which is all clone3's
    /// CLONE_INTO_CGROUP and the *at() calls need. Close-on-exec so it never leaks into a container.
    /// </summary>
    public static SafeFd OpenDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int fd = Check.Io(
            Interop.Libc.open(path, Interop.Libc.O_PATH | Interop.Libc.O_DIRECTORY | Interop.Libc.O_CLOEXEC, 0),
            "open",
            path);
        return new SafeFd(fd);
    }
}
