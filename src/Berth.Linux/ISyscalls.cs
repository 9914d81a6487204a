namespace Berth.Linux;

/// <summary>
/// The semantic seam over the kernel calls the container init and lifecycle make. <see cref="LinuxSyscalls"/>
/// is the only production implementation; tests record the calls instead of making them.
/// Methods that throw raise <see cref="LinuxException"/>; <c>Try</c> methods return the errno.
/// </summary>
public interface ISyscalls
{
    void Mount(string? source, string target, string? fsType, MountFlags flags, string? data);

    Errno TryUnmount(string target, UnmountFlags flags);

    /// <summary>
    /// The flags of the mount holding <paramref name="path"/> that a bind remount must repeat: in a user
    /// namespace nosuid, nodev, noexec and the atime flags of a mount inherited from outside are locked.
    /// </summary>
    MountFlags GetLockedMountFlags(string path);

    Errno TryMakeDirectory(string path, int mode);

    void MakeNode(string path, int mode, ulong device);

    void Symlink(string target, string linkPath);

    void Chown(string path, int uid, int gid);

    void Chmod(string path, int mode);

    /// <summary>Creates an empty file (a bind-mount target) if nothing is there yet.</summary>
    void Touch(string path);

    /// <summary>The target of a symlink, or null when the path is not a symlink or does not exist.</summary>
    string? ReadLink(string path);

    bool IsDirectory(string path);

    bool Exists(string path);

    /// <summary>Whether the calling thread's real ids may execute the file (access X_OK), and it is not a directory.</summary>
    bool CanExecute(string path);

    void ChangeDirectory(string path);

    /// <summary>
    /// Makes <paramref name="rootfs"/> the root with pivot_root(".", ".") and detaches the old root, the way
    /// runc does it (no put_old directory inside the rootfs is needed).
    /// </summary>
    void PivotRoot(string rootfs);

    void Unshare(NamespaceFlags flags);

    void SetHostname(string name);

    void SetDomainname(string name);

    void WriteFile(string path, string content);

    string[] ReadLines(string path);

    void SetUmask(int mask);

    /// <summary>
    /// Makes one raw syscall on the calling thread: the credential switch (groups, ids, capabilities,
    /// no_new_privs, seccomp, rlimits) is a list of <see cref="Spawn.SpawnOp"/>s shared with exec, where the
    /// spawn stub makes the same calls in the child.
    /// </summary>
    void Run(Spawn.SpawnOp op);
}
