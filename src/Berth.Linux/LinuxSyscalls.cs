using System.Text;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>The kernel itself behind <see cref="ISyscalls"/>.</summary>
public sealed class LinuxSyscalls : ISyscalls
{
    public static LinuxSyscalls Instance { get; } = new();

    public void Mount(string? source, string target, string? fsType, MountFlags flags, string? data) =>
        Check.Io(mount(source, target, fsType, (ulong)flags, data), $"mount {Describe(source, fsType, flags)} on", target);

    public Errno TryUnmount(string target, UnmountFlags flags) => Check.Try(umount2(target, (int)flags));

    public Errno TryMakeDirectory(string path, int mode) => Check.Try(mkdir(path, mode));

    public void MakeNode(string path, int mode, ulong device) => Check.Io(mknod(path, mode, device), "mknod", path);

    public void Symlink(string target, string linkPath) => Check.Io(symlink(target, linkPath), "symlink", linkPath);

    public void Chown(string path, int uid, int gid) => Check.Io(lchown(path, uid, gid), "chown", path);

    public void Chmod(string path, int mode) => Check.Io(chmod(path, mode), "chmod", path);

    public void Touch(string path)
    {
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0x1a4 /* 0644 */);
        Check.Io(fd, "open", path);
        _ = close(fd);
    }

    public string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public bool IsDirectory(string path) => Directory.Exists(path);

    public bool Exists(string path) => Path.Exists(path) || ReadLink(path) is not null;

    public bool CanExecute(string path) => Processes.IsExecutable(path);

    public void ChangeDirectory(string path) => Check.Io(chdir(path), "chdir", path);

    public void PivotRoot(string rootfs)
    {
        using SafeFd oldRoot = FileDescriptors.OpenDirectory("/");
        using SafeFd newRoot = FileDescriptors.OpenDirectory(rootfs);
        FileDescriptors.ChangeDirectory(newRoot);
        unsafe
        {
            byte* dot = stackalloc byte[] { (byte)'.', 0 };
            Check.Io(syscall(SYS_pivot_root, (long)dot, (long)dot, 0, 0, 0, 0), "pivot_root", rootfs);
        }

        // The old root now sits on top of the new one; step onto it, keep its unmount from propagating, drop it.
        FileDescriptors.ChangeDirectory(oldRoot);
        Mount(null, ".", null, MountFlags.Slave | MountFlags.Recursive, null);
        Check.Io(umount2(".", (int)UnmountFlags.Detach), "umount old root", rootfs);
        ChangeDirectory("/");
    }

    public void Unshare(NamespaceFlags flags) => Check.Io(unshare((int)flags), $"unshare {flags}");

    public unsafe void SetHostname(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
        {
            Check.Io(sethostname(p, bytes.Length), "sethostname", name);
        }
    }

    public unsafe void SetDomainname(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
        {
            Check.Io(setdomainname(p, bytes.Length), "setdomainname", name);
        }
    }

    public unsafe void SetResourceLimit(ResourceLimit limit)
    {
        ulong* values = stackalloc ulong[2] { limit.Soft, limit.Hard };
        Check.Io(prlimit(0, limit.Resource, values, null), $"setrlimit {limit.Resource}");
    }

    public unsafe void WriteFile(string path, string content)
    {
        int fd = Check.Io(open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0), "open", path);
        try
        {
            byte[] bytes = Encoding.UTF8.GetBytes(content);
            fixed (byte* p = bytes)
            {
                Check.Io((long)write(fd, p, bytes.Length), "write", path);
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    public string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException ex)
        {
            throw new LinuxException(Errno.EIO, $"read ({ex.Message})", path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new LinuxException(Errno.EACCES, "read", path);
        }
    }

    public unsafe void SetGroups(IReadOnlyList<int> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        int* list = stackalloc int[Math.Max(groups.Count, 1)];
        for (int i = 0; i < groups.Count; i++)
        {
            list[i] = groups[i];
        }

        Check.Io(syscall(SYS_setgroups, groups.Count, (long)list, 0, 0, 0, 0), "setgroups");
    }

    public void SetResGid(int gid) => Check.Io(syscall(SYS_setresgid, gid, gid, gid, 0, 0, 0), $"setresgid {gid}");

    public void SetResUid(int uid) => Check.Io(syscall(SYS_setresuid, uid, uid, uid, 0, 0, 0), $"setresuid {uid}");

    public void SetKeepCaps(bool keep) => Check.Io(prctl(PR_SET_KEEPCAPS, keep ? 1UL : 0UL, 0, 0, 0), "prctl PR_SET_KEEPCAPS");

    public void DropBoundingCapability(int capability)
    {
        // EINVAL: the kernel does not know this capability, so it cannot be in the set either.
        if (prctl(PR_CAPBSET_DROP, (ulong)capability, 0, 0, 0) < 0 && ErrnoText.Last != Errno.EINVAL)
        {
            throw new LinuxException(ErrnoText.Last, $"prctl PR_CAPBSET_DROP {capability}");
        }
    }

    public unsafe void SetCapabilities(ulong effective, ulong permitted, ulong inheritable)
    {
        // _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set.
        uint* header = stackalloc uint[2] { 0x20080522, 0 };
        uint* data = stackalloc uint[6]
        {
            (uint)effective, (uint)permitted, (uint)inheritable,
            (uint)(effective >> 32), (uint)(permitted >> 32), (uint)(inheritable >> 32),
        };
        Check.Io(syscall(SYS_capset, (long)header, (long)data, 0, 0, 0, 0), "capset");
    }

    public void ClearAmbientCapabilities() =>
        Check.Io(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl PR_CAP_AMBIENT_CLEAR_ALL");

    public void RaiseAmbientCapability(int capability) =>
        Check.Io(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (ulong)capability, 0, 0), $"prctl PR_CAP_AMBIENT_RAISE {capability}");

    public void SetNoNewPrivileges() => Check.Io(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl PR_SET_NO_NEW_PRIVS");

    public void SetUmask(int mask) => _ = umask(mask);

    public unsafe void InstallSeccompFilter(ReadOnlySpan<byte> program, uint flags)
    {
        const long SECCOMP_SET_MODE_FILTER = 1;
        if (program.Length % 8 != 0 || program.Length / 8 > ushort.MaxValue)
        {
            throw new LinuxException(Errno.EINVAL, "seccomp: program length");
        }

        fixed (byte* filter = program)
        {
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            ulong* fprog = stackalloc ulong[2];
            fprog[0] = (ulong)(program.Length / 8);
            fprog[1] = (ulong)filter;
            Check.Io(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, (long)fprog, 0, 0, 0), "seccomp");
        }
    }

    internal static byte[] Utf8Z(string value)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static string Describe(string? source, string? fsType, MountFlags flags) =>
        fsType is not null ? fsType
        : (flags & MountFlags.Bind) != 0 ? $"bind {source}"
        : (flags & MountFlags.PropagationMask) != 0 ? "propagation"
        : (flags & MountFlags.Remount) != 0 ? "remount"
        : source ?? "none";
}
