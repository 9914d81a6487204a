using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>
/// Directory-fd relative file operations (the *at family) for code that must stay inside a tree it does not trust:
/// nothing here follows a final symlink, and <see cref="OpenDirectoryInRoot"/> resolves every component inside a root.
/// </summary>
public static class FileSystemOps
{
    /// <summary>An O_PATH handle on a directory, to be used as a root or parent for the other calls.</summary>
    public static SafeFd OpenRoot(string path)
    {
        int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        return fd < 0 ? throw new LinuxException(ErrnoText.Last, "open", path) : new SafeFd(fd);
    }

    /// <summary>
    /// openat2 with RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS: <c>..</c>, absolute symlinks and symlink chains all stay
    /// inside <paramref name="root"/>. The result is an O_PATH directory handle.
    /// </summary>
    public static unsafe SafeFd OpenDirectoryInRoot(SafeFd root, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(root);
        Errno errno = TryOpenDirectoryInRoot(root, relativePath, out SafeFd? fd);
        return errno == Errno.None ? fd! : throw new LinuxException(errno, "openat2", relativePath);
    }

    /// <summary><see cref="OpenDirectoryInRoot"/> that returns the errno instead of throwing.</summary>
    public static unsafe Errno TryOpenDirectoryInRoot(SafeFd root, string relativePath, out SafeFd? directory)
    {
        ArgumentNullException.ThrowIfNull(root);
        var how = new OpenHow
        {
            Flags = (ulong)(O_PATH | O_DIRECTORY | O_CLOEXEC),
            Resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        string path = relativePath.Length == 0 ? "." : relativePath;
        long fd = syscall_openat2(SYS_openat2, root.Fd, path, &how, (nuint)sizeof(OpenHow));
        directory = fd < 0 ? null : new SafeFd((int)fd);
        return fd < 0 ? ErrnoText.Last : Errno.None;
    }

    /// <summary>
    /// Whether <paramref name="path"/> (not following a final symlink) is the root of a mount, bind mounts included, as
    /// statx says in one call; null from a kernel before 5.8, which does not say (or, before 4.11, has no statx).
    /// </summary>
    public static unsafe bool? IsMountRoot(string path)
    {
        // struct statx is 256 bytes: stx_attributes at offset 8, stx_attributes_mask at offset 56.
        byte* buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0, buffer) != 0)
        {
            return ErrnoText.Last == Errno.ENOSYS ? null : throw new LinuxException(ErrnoText.Last, "statx", path);
        }

        ulong attributes = *(ulong*)(buffer + 8), known = *(ulong*)(buffer + 56);
        return (known & STATX_ATTR_MOUNT_ROOT) == 0 ? null : (attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    }

    /// <summary>The f_type of the filesystem holding <paramref name="path"/>, as statfs gives it (<see cref="FileSystemMagic"/>).</summary>
    public static unsafe long FileSystemType(string path)
    {
        // struct statfs is 120 bytes on 64-bit Linux, f_type first; the buffer leaves room to spare.
        long* buffer = stackalloc long[32];
        return statfs(path, buffer) == 0 ? buffer[0] : throw new LinuxException(ErrnoText.Last, "statfs", path);
    }

    /// <summary>lstat relative to <paramref name="directory"/>; null when the name does not exist.</summary>
    public static FileStatus? TryStatAt(SafeFd directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return StatCore(directory.Fd, name, "fstatat");
    }

    /// <summary>lstat of a path; null when it does not exist.</summary>
    public static FileStatus? TryStat(string path) => StatCore(AT_FDCWD, path, "lstat");

    /// <summary>fstat of an open file: which inode a handle holds, whatever its path names now.</summary>
    public static FileStatus StatHandle(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return StatCore((int)handle.DangerousGetHandle(), "", "fstat", AT_EMPTY_PATH) ?? throw new LinuxException(Errno.EBADF, "fstat");
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>lstat of a path (does not follow a final symlink).</summary>
    public static FileStatus Stat(string path) =>
        StatCore(AT_FDCWD, path, "lstat") ?? throw new LinuxException(Errno.ENOENT, "lstat", path);

    public static SafeFileHandle CreateFileAt(SafeFd directory, string name, int mode)
    {
        ArgumentNullException.ThrowIfNull(directory);
        int fd = openat(directory.Fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        return fd < 0 ? throw new LinuxException(ErrnoText.Last, "openat", name) : new SafeFileHandle(fd, ownsHandle: true);
    }

    public static Errno TryMakeDirectoryAt(SafeFd directory, string name, int mode)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Check.Try(mkdirat(directory.Fd, name, mode));
    }

    /// <summary>mknodat; <paramref name="mode"/> carries the file type (S_IFCHR, S_IFBLK, S_IFIFO).</summary>
    public static void MakeNodeAt(SafeFd directory, string name, int mode, uint major, uint minor)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Check.Io(mknodat(directory.Fd, name, mode, FileStatus.MakeDevice(major, minor)), "mknodat", name);
    }

    public static void SymlinkAt(string target, SafeFd directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Check.Io(symlinkat(target, directory.Fd, name), "symlinkat", name);
    }

    /// <summary>linkat without AT_SYMLINK_FOLLOW: a symlink source is linked itself, never followed.</summary>
    public static void LinkAt(SafeFd sourceDirectory, string sourceName, SafeFd directory, string name)
    {
        ArgumentNullException.ThrowIfNull(sourceDirectory);
        ArgumentNullException.ThrowIfNull(directory);
        Check.Io(linkat(sourceDirectory.Fd, sourceName, directory.Fd, name, 0), "linkat", name);
    }

    public static void ChownAt(SafeFd directory, string name, int uid, int gid)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Check.Io(fchownat(directory.Fd, name, uid, gid, AT_SYMLINK_NOFOLLOW), "fchownat", name);
    }

    /// <summary>Sets permission bits (07777) on a non-symlink; refuses to follow a symlink where the kernel allows.</summary>
    public static void ChmodAt(SafeFd directory, string name, int mode)
    {
        ArgumentNullException.ThrowIfNull(directory);
        long rc = syscall_fchmodat2(SYS_fchmodat2, directory.Fd, name, mode, AT_SYMLINK_NOFOLLOW);
        if (rc < 0 && ErrnoText.Last is Errno.ENOSYS)
        {
            rc = fchmodat(directory.Fd, name, mode, 0);
        }

        Check.Io(rc, "fchmodat", name);
    }

    /// <summary>utimensat with AT_SYMLINK_NOFOLLOW; access and modification time both set to <paramref name="time"/>.</summary>
    public static unsafe void SetTimesAt(SafeFd directory, string name, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(directory);
        long ticks = (time.UtcDateTime - DateTime.UnixEpoch).Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        TimeSpec* times = stackalloc TimeSpec[2];
        times[0] = times[1] = new TimeSpec { Seconds = seconds, Nanoseconds = rest * 100 };
        Check.Io(utimensat(directory.Fd, name, times, AT_SYMLINK_NOFOLLOW), "utimensat", name);
    }

    public static unsafe void SetXattrAt(SafeFd directory, string name, string attribute, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string path = ProcPath(directory, name);
        fixed (byte* p = value)
        {
            Check.Io(lsetxattr(path, attribute, p, (nuint)value.Length, 0), $"lsetxattr {attribute}", name);
        }
    }

    /// <summary>lgetxattr of a path; null when the attribute is absent.</summary>
    public static unsafe byte[]? GetXattr(string path, string attribute)
    {
        nint size = lgetxattr(path, attribute, null, 0);
        if (size < 0)
        {
            return ErrnoText.Last == Errno.ENODATA ? null : throw new LinuxException(ErrnoText.Last, $"lgetxattr {attribute}", path);
        }

        byte[] value = new byte[size];
        fixed (byte* p = value)
        {
            size = lgetxattr(path, attribute, p, (nuint)value.Length);
        }

        return size < 0 ? throw new LinuxException(ErrnoText.Last, $"lgetxattr {attribute}", path) : value[..(int)size];
    }

    /// <summary>llistxattr of a path (a final symlink is not followed): every attribute name, in the kernel's order.</summary>
    public static unsafe IReadOnlyList<string> ListXattrs(string path)
    {
        while (true)
        {
            nint size = llistxattr(path, null, 0);
            if (size < 0)
            {
                return ErrnoText.Last is Errno.EOPNOTSUPP ? [] : throw new LinuxException(ErrnoText.Last, "llistxattr", path);
            }

            if (size == 0)
            {
                return [];
            }

            byte[] names = new byte[size];
            fixed (byte* p = names)
            {
                size = llistxattr(path, p, (nuint)names.Length);
            }

            if (size < 0 && ErrnoText.Last is Errno.ERANGE)
            {
                continue; // an attribute was added meanwhile
            }

            return size < 0
                ? throw new LinuxException(ErrnoText.Last, "llistxattr", path)
                : System.Text.Encoding.UTF8.GetString(names, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    /// <summary>
    /// Swaps what two paths name, atomically (renameat2 RENAME_EXCHANGE): each keeps existing throughout. ENOENT when
    /// either is missing; EINVAL where the filesystem cannot exchange.
    /// </summary>
    public static Errno TryExchange(string first, string second) =>
        Check.Try(renameat2(AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE));

    public static Errno TryUnlinkAt(SafeFd directory, string name, bool isDirectory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Check.Try(unlinkat(directory.Fd, name, isDirectory ? AT_REMOVEDIR : 0));
    }

    /// <summary>
    /// A path naming <paramref name="name"/> inside the directory <paramref name="directory"/> refers to, through
    /// /proc/self/fd, so path-only APIs stay on the already-resolved directory.
    /// </summary>
    public static string ProcPath(SafeFd directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return $"/proc/self/fd/{directory.Fd}/{name}";
    }

    private static unsafe FileStatus? StatCore(int directory, string name, string operation, int flags = AT_SYMLINK_NOFOLLOW)
    {
        byte* buffer = stackalloc byte[144];
        if (syscall_fstatat(SYS_newfstatat, directory, name, buffer, flags) < 0)
        {
            return ErrnoText.Last == Errno.ENOENT ? null : throw new LinuxException(ErrnoText.Last, operation, name);
        }

        var span = new ReadOnlySpan<byte>(buffer, 144);
        return new FileStatus(
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(span[8..]),
            LinkCount: BinaryPrimitives.ReadUInt64LittleEndian(span[16..]),
            Mode: BinaryPrimitives.ReadUInt32LittleEndian(span[24..]),
            Uid: BinaryPrimitives.ReadInt32LittleEndian(span[28..]),
            Gid: BinaryPrimitives.ReadInt32LittleEndian(span[32..]),
            Device: BinaryPrimitives.ReadUInt64LittleEndian(span[40..]),
            Size: BinaryPrimitives.ReadInt64LittleEndian(span[48..]),
            MtimeSeconds: BinaryPrimitives.ReadInt64LittleEndian(span[88..]),
            MtimeNanoseconds: BinaryPrimitives.ReadInt64LittleEndian(span[96..]));
    }
}
