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

    void SetResourceLimit(ResourceLimit limit);

    void WriteFile(string path, string content);

    string[] ReadLines(string path);

    /// <summary>Per-thread credential change (raw syscalls; glibc's wrappers act on every thread).</summary>
    void SetGroups(IReadOnlyList<int> groups);

    void SetResGid(int gid);

    void SetResUid(int uid);

    void SetKeepCaps(bool keep);

    void DropBoundingCapability(int capability);

    void SetCapabilities(ulong effective, ulong permitted, ulong inheritable);

    void ClearAmbientCapabilities();

    void RaiseAmbientCapability(int capability);

    void SetNoNewPrivileges();

    void SetUmask(int mask);

    /// <summary>
    /// Installs a classic BPF seccomp filter (8-byte sock_filter instructions) on the calling thread with
    /// seccomp(SECCOMP_SET_MODE_FILTER, flags); the thread that then execs carries it into the container.
    /// </summary>
    void InstallSeccompFilter(ReadOnlySpan<byte> program, uint flags);
}
