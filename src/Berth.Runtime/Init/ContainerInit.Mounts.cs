using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Init;

public sealed partial class ContainerInit
{
    private const int DirectoryMode = 0x1ed; // 0755

    /// <summary>cgroup filesystems left for the "cgroup" step, which runs once we are in the container's cgroup.</summary>
    private readonly List<SpecMount> _deferredCgroupMounts = [];

    private void MountAll()
    {
        List<SpecMount> mounts = Spec.Mounts;
        for (int i = 0; i < mounts.Count; i++)
        {
            SpecMount mount = mounts[i];
            if (mount.Type == "cgroup" && !_inCgroup && joinCgroup is not null && !OverlapsLaterMount(i))
            {
                // It shows our own cgroup, which we may not be in yet; nothing mounted after it is above or below
                // it, so mounting it last gives the same tree.
                _deferredCgroupMounts.Add(mount);
                continue;
            }

            MountNamed(mount);
        }
    }

    private bool OverlapsLaterMount(int index)
    {
        string destination = Path.TrimEndingDirectorySeparator(Spec.Mounts[index].Destination);
        return Spec.Mounts.Skip(index + 1).Any(later =>
        {
            string other = Path.TrimEndingDirectorySeparator(later.Destination);
            return other == destination || other.StartsWith(destination + "/", StringComparison.Ordinal)
                || destination.StartsWith(other + "/", StringComparison.Ordinal) || other.Length == 0 || other == "/";
        });
    }

    private void MountNamed(SpecMount mount)
    {
        try
        {
            MountOne(mount);
        }
        catch (BerthException ex) when (ex is not InitStepException)
        {
            throw ex is LinuxException linux
                ? new InitStepException($"mount {mount.Destination}", linux.Message, linux.Kind, (int)linux.Errno)
                : new InitStepException($"mount {mount.Destination}", ex.Message, ex.Kind);
        }
    }

    private void MountOne(SpecMount mount)
    {
        ParsedMountOptions options = MountOptions.Parse(mount.Options);
        // Resolved inside the rootfs: a symlink in the image can never lead a mount out of it.
        string target = InRootfs(mount.Destination);
        string type = mount.Type ?? "";
        if (options.Bind || type == "bind")
        {
            BindMount(mount, target, options);
        }
        else if (type == "cgroup")
        {
            EnterCgroup(); // it shows our own cgroup (and with a cgroup namespace, is rooted at it)
            MountCgroupFs(target, options);
        }
        else
        {
            MakeDirectories(target);
            sys.Mount(mount.Source ?? type, target, type.Length == 0 ? null : type, options.Flags, options.Data);
        }

        if (options.Propagation != MountFlags.None)
        {
            sys.Mount(null, target, null, options.Propagation, null);
        }
    }

    private void BindMount(SpecMount mount, string target, ParsedMountOptions options)
    {
        if (string.IsNullOrEmpty(mount.Source))
        {
            throw Errors.InvalidArgument($"bind mount on {mount.Destination} has no source");
        }

        string source = Path.IsPathRooted(mount.Source) ? mount.Source : Path.GetFullPath(mount.Source, request.Bundle);
        if (!sys.Exists(source))
        {
            throw Errors.NotFound($"bind mount source \"{source}\" does not exist");
        }

        if (sys.IsDirectory(source))
        {
            MakeDirectories(target);
        }
        else
        {
            MakeDirectories(Path.GetDirectoryName(target)!);
            sys.Touch(target);
        }

        MountFlags bind = MountFlags.Bind | (options.Recursive ? MountFlags.Recursive : MountFlags.None);
        sys.Mount(source, target, null, bind, options.Data);

        // A bind mount ignores every other flag; they take a remount of the new mount point.
        MountFlags extra = options.Flags & ~(MountFlags.Bind | MountFlags.Recursive | MountFlags.Remount);
        if (extra != MountFlags.None)
        {
            sys.Mount(null, target, null, extra | sys.GetLockedMountFlags(target) | MountFlags.Bind | MountFlags.Remount, null);
        }
    }

    /// <summary>
    /// A cgroup mount: cgroup2 on a unified host; on v1, a tmpfs with one cgroupfs per hierarchy, like runc.
    /// With a cgroup namespace each hierarchy shows the container's own cgroup as its root.
    /// </summary>
    private void MountCgroupFs(string target, ParsedMountOptions options)
    {
        MakeDirectories(target);
        MountFlags flags = options.Flags | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec;
        if (sys.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            sys.Mount("cgroup2", target, "cgroup2", flags, null);
            return;
        }

        sys.Mount("tmpfs", target, "tmpfs", (flags & ~MountFlags.ReadOnly), "mode=755");
        foreach (string line in File.ReadAllLines("/proc/self/cgroup"))
        {
            string[] fields = line.Split(':', 3);
            if (fields.Length < 3 || fields[1].Length == 0)
            {
                continue; // the unified (v2) line of a hybrid host
            }

            string controllers = fields[1];
            string directory = controllers.StartsWith("name=", StringComparison.Ordinal) ? controllers[5..] : controllers;
            string hierarchy = Path.Combine(target, directory);
            MakeDirectories(hierarchy);
            if (HasNewNamespace("cgroup"))
            {
                string data = controllers.StartsWith("name=", StringComparison.Ordinal) ? "none," + controllers : controllers;
                sys.Mount("cgroup", hierarchy, "cgroup", flags, data);
            }
            else
            {
                // Without a cgroup namespace a fresh cgroupfs would show the host's whole tree: bind our own part.
                sys.Mount($"/sys/fs/cgroup/{directory}{fields[2]}", hierarchy, null, MountFlags.Bind, null);
                sys.Mount(null, hierarchy, null, flags | MountFlags.Bind | MountFlags.Remount, null);
            }

            foreach (string alias in directory.Split(','))
            {
                if (alias != directory && !sys.Exists(Path.Combine(target, alias)))
                {
                    sys.Symlink(directory, Path.Combine(target, alias));
                }
            }
        }

        if ((options.Flags & MountFlags.ReadOnly) != 0)
        {
            sys.Mount("tmpfs", target, "tmpfs", flags | MountFlags.Remount | MountFlags.ReadOnly, "mode=755");
        }
    }

    /// <summary>A container path as a host path inside the rootfs, every symlink resolved within it.</summary>
    private string InRootfs(string containerPath) => SecurePath.Join(Rootfs, containerPath, sys.ReadLink);

    /// <summary>mkdir -p below the rootfs (the path is already resolved inside it).</summary>
    private void MakeDirectories(string hostPath)
    {
        if (sys.IsDirectory(hostPath))
        {
            return;
        }

        string? parent = Path.GetDirectoryName(hostPath);
        if (parent is not null && parent.Length >= Rootfs.Length && parent != hostPath)
        {
            MakeDirectories(parent);
        }

        Errno error = sys.TryMakeDirectory(hostPath, DirectoryMode);
        if (error is not (Errno.None or Errno.EEXIST))
        {
            throw new LinuxException(error, "mkdir", hostPath);
        }
    }

    private void MakeReadonlyPaths()
    {
        foreach (string path in Spec.Linux?.ReadonlyPaths ?? [])
        {
            if (!sys.Exists(path))
            {
                continue;
            }

            sys.Mount(path, path, null, MountFlags.Bind | MountFlags.Recursive, null);
            sys.Mount(null, path, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | MountFlags.Recursive
                | sys.GetLockedMountFlags(path), null);
        }
    }

    private void MaskPaths()
    {
        foreach (string path in Spec.Linux?.MaskedPaths ?? [])
        {
            if (sys.IsDirectory(path))
            {
                sys.Mount("tmpfs", path, "tmpfs", MountFlags.ReadOnly, null);
            }
            else if (sys.Exists(path))
            {
                sys.Mount("/dev/null", path, null, MountFlags.Bind, null);
            }
        }
    }

    private void MakeRootReadonly()
    {
        if (Spec.Root?.Readonly == true)
        {
            sys.Mount(null, "/", null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | sys.GetLockedMountFlags("/"), null);
        }
    }
}
