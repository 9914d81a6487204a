using Berth.Linux;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Hosting;

/// <summary>
/// Keeps the exec-root on a tmpfs. What lives there (shim sockets and exits, runtime state, bundles, rootfs mount
/// points) must outlive berthd but not the machine, and is created and deleted for every container. /run is a tmpfs on
/// a systemd host; where the exec-root is on a disk filesystem instead, berthd mounts a tmpfs of its own on it, so
/// nothing stale survives a reboot and that churn stays off the disk (on ext4 without a journal every new inode is
/// found by stepping over each one deleted in the last seconds, a cost that grows with the churn).
/// It mounts only on an empty directory, never hiding anything, and unmounts at shutdown only when no shim is left.
/// </summary>
internal sealed class ExecRootFileSystem : IDisposable
{
    /// <summary>The tmpfs's source name, by which a berthd restarted after a crash knows the mount as its own.</summary>
    public const string Source = "berth-exec-root";

    private readonly string _path;
    private readonly string _shimDirectories;
    private readonly ISyscalls _syscalls;
    private readonly ILogger _log;

    private ExecRootFileSystem(string path, string shimDirectories, ISyscalls syscalls, ILogger log, bool owned)
    {
        _path = path;
        _shimDirectories = shimDirectories;
        _syscalls = syscalls;
        _log = log;
        Owned = owned;
    }

    /// <summary>True when the exec-root is a tmpfs that berthd mounted (now or before a restart): shutdown may take it down.</summary>
    public bool Owned { get; private set; }

    /// <summary>Creates the exec-root and mounts a tmpfs on it when it is an empty directory on a disk filesystem.</summary>
    /// <param name="path">The exec-root.</param>
    /// <param name="shimDirectories">The directory under it that holds the shims' own directories.</param>
    /// <param name="syscalls">Mount and unmount.</param>
    /// <param name="fileSystemType">statfs's f_type of a path.</param>
    /// <param name="mountInfo">The lines of /proc/self/mountinfo, read only when the exec-root is already a tmpfs.</param>
    /// <param name="log">Where what was decided is said.</param>
    public static ExecRootFileSystem Prepare(string path, string shimDirectories, ISyscalls syscalls, Func<string, long> fileSystemType,
        Func<IEnumerable<string>> mountInfo, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(fileSystemType);
        ArgumentNullException.ThrowIfNull(mountInfo);
        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        Directory.CreateDirectory(path);
        bool owned = fileSystemType(path) is FileSystemMagic.Tmpfs or FileSystemMagic.Ramfs
            ? IsOurTmpfs(path, mountInfo())
            : MountOnDisk(path, syscalls, log);
        return new(path, shimDirectories, syscalls, log, owned);
    }

    /// <summary>Mounts the tmpfs on an exec-root that is on disk; false when it stays on disk.</summary>
    private static bool MountOnDisk(string path, ISyscalls syscalls, ILogger log)
    {
        if (Directory.EnumerateFileSystemEntries(path).Any())
        {
            // State of an earlier berthd (or anything else) is there: a mount would hide it.
            DaemonLog.ExecRootOnDisk(log, path, "not empty");
            return false;
        }

        string mode = Convert.ToString((int)File.GetUnixFileMode(path), 8);
        try
        {
            syscalls.Mount(Source, path, "tmpfs", MountFlags.NoSuid | MountFlags.NoDev, "mode=" + mode);
        }
        catch (LinuxException ex)
        {
            // Without the right to mount (rootless, a restricted container) berthd works on the disk, as before.
            DaemonLog.ExecRootOnDisk(log, path, "a tmpfs cannot be mounted there (" + ex.Message + ")");
            return false;
        }

        DaemonLog.ExecRootMounted(log, path);
        return true;
    }

    /// <summary>Unmounts the tmpfs berthd mounted, unless a shim still lives in it or left its exit there for the next berthd.</summary>
    public void Dispose()
    {
        if (!Owned)
        {
            return;
        }

        if (Directory.Exists(_shimDirectories) && Directory.EnumerateFileSystemEntries(_shimDirectories).Any())
        {
            DaemonLog.ExecRootKept(_log, _path, "containers are still running");
            return;
        }

        // Not a lazy unmount: a mount or an open file still in it (EBUSY) keeps it, and what is in it, where it is.
        Errno errno = _syscalls.TryUnmount(_path, UnmountFlags.None);
        if (errno != Errno.None)
        {
            DaemonLog.ExecRootKept(_log, _path, ErrnoText.Of(errno));
            return;
        }

        Owned = false;
    }

    /// <summary>Whether the topmost mount on <paramref name="path"/> is a tmpfs named <see cref="Source"/>.</summary>
    internal static bool IsOurTmpfs(string path, IEnumerable<string> mountInfo) =>
        mountInfo.Select(MountInfoEntry.Parse).LastOrDefault(m => m?.MountPoint == path) is { FileSystemType: "tmpfs", Source: Source };
}
