using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Init;

public sealed partial class ContainerInit
{
    private const int S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFBLK = 0x6000, DeviceMode = 0x1b6; // 0666

    /// <summary>The nodes every container gets when /dev is a fresh tmpfs (runtime-spec "Default Devices").</summary>
    private static readonly (string Name, long Major, long Minor)[] DefaultDevices =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    private static readonly (string Link, string Target)[] DefaultLinks =
    [
        ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"),
    ];

    private bool DevIsPrivate => Spec.Mounts.Any(m => m.Destination.TrimEnd('/') == "/dev" && m.Type != "bind"
        && m.Options?.Contains("bind") != true && m.Options?.Contains("rbind") != true);

    private void CreateDevices()
    {
        if (DevIsPrivate)
        {
            foreach ((string name, long major, long minor) in DefaultDevices)
            {
                MakeDevice(new SpecDevice { Type = "c", Path = "/dev/" + name, Major = major, Minor = minor, FileMode = DeviceMode, Uid = 0, Gid = 0 });
            }

            foreach ((string link, string target) in DefaultLinks)
            {
                string path = InRootfs("/dev/" + link);
                if (!sys.Exists(path))
                {
                    sys.Symlink(target, path);
                }
            }

            if (sys.Exists("/proc/kcore") && !sys.Exists(InRootfs("/dev/core")))
            {
                sys.Symlink("/proc/kcore", InRootfs("/dev/core"));
            }

            // The devpts instance mounted for the container owns the ptys; /dev/ptmx must lead to it.
            string ptmx = InRootfs("/dev/ptmx");
            if (!sys.Exists(ptmx))
            {
                sys.Symlink("pts/ptmx", ptmx);
            }
        }

        foreach (SpecDevice device in Spec.Linux?.Devices ?? [])
        {
            MakeDevice(device);
        }
    }

    private void MakeDevice(SpecDevice device)
    {
        int type = device.Type switch
        {
            "c" or "u" => S_IFCHR,
            "b" => S_IFBLK,
            "p" => S_IFIFO,
            _ => throw Errors.InvalidArgument($"linux.devices: {device.Path}: unknown type \"{device.Type}\""),
        };
        string path = InRootfs(device.Path);
        MakeDirectories(Path.GetDirectoryName(path)!);
        if (sys.Exists(path))
        {
            return;
        }

        if (HasNewNamespace("user"))
        {
            // mknod is refused in a user namespace: bind the host's node instead, as runc does.
            sys.Touch(path);
            sys.Mount(device.Path, path, null, MountFlags.Bind, null);
            return;
        }

        int permissions = (int)(device.FileMode ?? DeviceMode) & 0xfff;
        sys.MakeNode(path, type | permissions, MakeDev(device.Major, device.Minor));
        sys.Chown(path, (int)(device.Uid ?? 0), (int)(device.Gid ?? 0));
    }

    /// <summary>glibc's makedev: the kernel's split 12-bit major / 20-bit minor encoding.</summary>
    internal static ulong MakeDev(long major, long minor)
    {
        ulong ma = (ulong)major, mi = (ulong)minor;
        return ((ma & 0xfffff000) << 32) | ((ma & 0xfff) << 8) | ((mi & 0xffffff00) << 12) | (mi & 0xff);
    }
}
