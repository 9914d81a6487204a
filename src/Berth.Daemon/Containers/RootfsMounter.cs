using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Linux;

namespace Berth.Daemon.Containers;

/// <summary>Mounts a snapshot's mounts (data from the snapshotter) on a container's rootfs directory, and takes
/// them down again. Lazy unmount: a process still holding a cwd inside cannot keep the daemon from cleaning up.</summary>
internal sealed class RootfsMounter(ISyscalls syscalls)
{
    public void Mount(IReadOnlyList<Mount> mounts, string target)
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
                    syscalls.Mount("overlay", target, "overlay", readOnly ? MountFlags.ReadOnly : MountFlags.None, data);
                    break;
                default:
                    throw Errors.Internal($"cannot mount a snapshot of type \"{mount.Type}\"");
            }
        }
    }

    public void Unmount(string target)
    {
        while (IsMountPoint(target))
        {
            Errno errno = syscalls.TryUnmount(target, UnmountFlags.Detach);
            if (errno != Errno.None)
                throw Errors.Internal($"unmounting {target}: {ErrnoText.Of(errno)}");
        }
    }

    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Field 5 is the mount point, with spaces and backslashes octal-escaped.
            string[] fields = line.Split(' ');
            if (fields.Length > 4 && fields[4].Replace("\\040", " ", StringComparison.Ordinal) == full)
                return true;
        }
        return false;
    }
}
