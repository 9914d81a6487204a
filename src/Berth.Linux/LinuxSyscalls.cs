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

    public unsafe MountFlags GetLockedMountFlags(string path)
    {
        const ulong ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8, ST_NOATIME = 1024, ST_NODIRATIME = 2048, ST_RELATIME = 4096;
        byte* buffer = stackalloc byte[112];
        Check.Io(statvfs(path, buffer), "statvfs", path);
        ulong st = *(ulong*)(buffer + 72);
        MountFlags flags = MountFlags.None;
        flags |= (st & ST_NOSUID) != 0 ? MountFlags.NoSuid : 0;
        flags |= (st & ST_NODEV) != 0 ? MountFlags.NoDev : 0;
        flags |= (st & ST_NOEXEC) != 0 ? MountFlags.NoExec : 0;
        flags |= (st & ST_NOATIME) != 0 ? MountFlags.NoAtime : 0;
        flags |= (st & ST_NODIRATIME) != 0 ? MountFlags.NoDirAtime : 0;
        flags |= (st & ST_RELATIME) != 0 ? MountFlags.RelAtime : 0;
        return flags;
    }

    public Errno TryMakeDirectory(string path, int mode) => Check.Try(mkdir(path, mode));

    public void MakeNode(string path, int mode, ulong device) => Check.Io(mknod(path, mode, device), "mknod", path);

    public void Symlink(string target, string linkPath) => Check.Io(symlink(target, linkPath), "symlink", linkPath);

    public void Chown(string path, int uid, int gid) => Check.Io(lchown(path, uid, gid), "chown", path);

    public void Chmod(string path, int mode) => Check.Io(chmod(path, mode), "chmod", path);

    public void Touch(string path)
    {
        // Not opened for writing: on overlay that would copy an existing file of a lower layer up, data and all.
        int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0x1a4 /* 0644 */);
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

    public void SetUmask(int mask) => _ = umask(mask);

    public void Run(Spawn.SpawnOp op) => Spawn.SpawnOps.Run(op);

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
