using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Linux;

namespace Berth.Daemon.Containers;

/// <summary>Mounts a snapshot's mounts (data from the snapshotter) on a container's rootfs directory, and takes
/// them down again. Lazy unmount: a process still holding a cwd inside cannot keep the daemon from cleaning up.</summary>
internal sealed class RootfsMounter(ISyscalls syscalls)
{
    /// <summary>
    /// Mounts the snapshot on <paramref name="target"/>. <paramref name="volatileUpper"/> mounts a writable overlay
    /// with <c>volatile</c> (as podman does for --rm containers): no syncs of the upper layer, so unmounting does
    /// not flush the writes of a container whose layer is thrown away right after.
    /// </summary>
    public void Mount(IReadOnlyList<Mount> mounts, string target, bool volatileUpper = false)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        Directory.CreateDirectory(target);
        if (IsMountPoint(target))
            return;
        foreach (Mount mount in mounts)
        {
            bool readOnly = mount.Options.Contains("ro");
            switch (mount.Type)
            {
                case "bind":
                    syscalls.Mount(mount.Source, target, null, MountFlags.Bind | MountFlags.Recursive, null);
                    if (readOnly)
                        syscalls.Mount(null, target, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly, null);
                    break;
                case "overlay":
                    string data = string.Join(',', mount.Options.Where(o => o is not ("ro" or "rw")));
                    if (mount.Options.FirstOrDefault(o => o.StartsWith("workdir=", StringComparison.Ordinal)) is { } workdir)
                    {
                        // A volatile mount leaves this marker, and overlay refuses the workdir while it is there. It only
                        // means "unsafe after a crash"; a container that crashed with it is --rm and removed on restore.
                        string marker = Path.Combine(workdir["workdir=".Length..], "work", "incompat", "volatile");
                        if (Directory.Exists(marker))
                            Directory.Delete(marker);
                        if (volatileUpper)
                            data += ",volatile";
                    }
                    syscalls.Mount("overlay", target, "overlay", readOnly ? MountFlags.ReadOnly : MountFlags.None, data);
                    break;
                default:
                    throw Errors.Internal($"cannot mount a snapshot of type \"{mount.Type}\"");
            }
        }
    }

    /// <summary>Takes down every mount stacked on <paramref name="target"/>; nothing to do when none is (or when it is gone).</summary>
    public void Unmount(string target)
    {
        // umount2 itself says when no mount is left (EINVAL: not a mount point): reading mountinfo to ask first cost a
        // scan of every mount on the host, twice per unmount.
        while (true)
        {
            Errno errno = syscalls.TryUnmount(target, UnmountFlags.Detach);
            if (errno is Errno.EINVAL or Errno.ENOENT)
                return;
            if (errno != Errno.None)
                throw Errors.Internal($"unmounting {target}: {ErrnoText.Of(errno)}");
        }
    }

    /// <summary>Asked at every start: one statx, where the mount table (a line per mount on the host, every running
    /// container's rootfs among them) is read only from a kernel that cannot say.</summary>
    public static bool IsMountPoint(string path)
    {
        if (FileSystemOps.IsMountRoot(path) is { } known)
        {
            return known;
        }

        string full = Path.GetFullPath(path).TrimEnd('/');
        return MountInfoEntry.ReadAll().Any(m => m.MountPoint == full);
    }
}
