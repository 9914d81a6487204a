using Berth.Core.Mounts;
using Berth.Linux;

namespace Berth.Testing.Snapshots;

/// <summary>
/// Mounts what a snapshotter returned at a fresh directory, the way the container service will: an rbind (then a
/// read-only remount for "ro"), or an overlay with the options as data. Dispose unmounts and removes the directory.
/// </summary>
public sealed class MountedSnapshot : IDisposable
{
    private MountedSnapshot(string target) => Target = target;

    public string Target { get; }

    public static MountedSnapshot Mount(IReadOnlyList<Mount> mounts, string target)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        Directory.CreateDirectory(target);
        var mounted = new MountedSnapshot(target);
        foreach (Mount mount in mounts)
        {
            bool readOnly = mount.Options.Contains("ro");
            if (mount.Type == "bind")
            {
                MountFlags flags = MountFlags.Bind | (mount.Options.Contains("rbind") ? MountFlags.Recursive : 0);
                LinuxSyscalls.Instance.Mount(mount.Source, target, null, flags, null);
                if (readOnly)
                {
                    LinuxSyscalls.Instance.Mount(null, target, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly, null);
                }
            }
            else
            {
                string data = string.Join(',', mount.Options.Where(o => o is not ("ro" or "rw")));
                LinuxSyscalls.Instance.Mount(mount.Source, target, mount.Type, readOnly ? MountFlags.ReadOnly : 0, data);
            }
        }

        return mounted;
    }

    public void Dispose()
    {
        while (LinuxSyscalls.Instance.TryUnmount(Target, UnmountFlags.None) == Errno.None)
        {
        }

        Directory.Delete(Target);
    }
}
