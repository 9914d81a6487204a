using System.Text.Json;
using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Spec;

/// <summary>
/// The config.json `berth-runtime spec` writes: the same content as `runc spec` (runc's specconv.Example on a
/// cgroup v2 host, so with a cgroup namespace) except the hostname and, on purpose, linux.seccomp: ours carries
/// <see cref="DefaultSeccompProfile"/> for the spec's bounding set (runc's example has no seccomp). Bundles still
/// move between the two unchanged.
/// </summary>
public static class DefaultSpec
{
    private static readonly SpecJsonContext TabIndented = new(new JsonSerializerOptions(SpecJsonContext.Default.Options)
    {
        // runc writes json.MarshalIndent(spec, "", "\t").
        IndentCharacter = '\t',
        IndentSize = 1,
    });

    public static RuntimeSpec Create()
    {
        // A fresh object graph per call: callers edit the result (args, rootless conversion) in place.
        List<string> defaultCaps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];
        return new RuntimeSpec
        {
            OciVersion = "1.2.0",
            Process = new SpecProcess
            {
                Terminal = true,
                User = new SpecUser { Uid = 0, Gid = 0 },
                Args = ["sh"],
                Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                Cwd = "/",
                Capabilities = new SpecCapabilities
                {
                    Bounding = [.. defaultCaps],
                    Effective = [.. defaultCaps],
                    Permitted = [.. defaultCaps],
                },
                Rlimits = [new SpecRlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
                NoNewPrivileges = true,
            },
            Root = new SpecRoot { Path = "rootfs", Readonly = true },
            Hostname = "berth",
            Mounts =
            [
                new SpecMount { Destination = "/proc", Type = "proc", Source = "proc" },
                new SpecMount
                {
                    Destination = "/dev", Type = "tmpfs", Source = "tmpfs",
                    Options = ["nosuid", "strictatime", "mode=755", "size=65536k"],
                },
                new SpecMount
                {
                    Destination = "/dev/pts", Type = "devpts", Source = "devpts",
                    Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
                },
                new SpecMount
                {
                    Destination = "/dev/shm", Type = "tmpfs", Source = "shm",
                    Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
                },
                new SpecMount
                {
                    Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue",
                    Options = ["nosuid", "noexec", "nodev"],
                },
                new SpecMount
                {
                    Destination = "/sys", Type = "sysfs", Source = "sysfs",
                    Options = ["nosuid", "noexec", "nodev", "ro"],
                },
                new SpecMount
                {
                    Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup",
                    Options = ["nosuid", "noexec", "nodev", "relatime", "ro"],
                },
            ],
            Linux = new SpecLinux
            {
                Resources = new SpecResources
                {
                    Devices = [new SpecDeviceRule { Allow = false, Access = "rwm" }],
                },
                Namespaces =
                [
                    new SpecNamespace { Type = "pid" },
                    new SpecNamespace { Type = "network" },
                    new SpecNamespace { Type = "ipc" },
                    new SpecNamespace { Type = "uts" },
                    new SpecNamespace { Type = "mount" },
                    new SpecNamespace { Type = "cgroup" },
                ],
                MaskedPaths =
                [
                    "/proc/acpi",
                    "/proc/asound",
                    "/proc/kcore",
                    "/proc/keys",
                    "/proc/latency_stats",
                    "/proc/timer_list",
                    "/proc/timer_stats",
                    "/proc/sched_debug",
                    "/sys/firmware",
                    "/proc/scsi",
                    "/sys/devices/virtual/tpm",
                ],
                ReadonlyPaths =
                [
                    "/proc/bus",
                    "/proc/fs",
                    "/proc/irq",
                    "/proc/sys",
                    "/proc/sysrq-trigger",
                ],
                Seccomp = DefaultSeccompProfile.Create(defaultCaps),
            },
        };
    }

    /// <summary>The spec as config.json text, tab-indented like runc's.</summary>
    public static string ToJson(RuntimeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return JsonSerializer.Serialize(spec, TabIndented.RuntimeSpec);
    }
}
