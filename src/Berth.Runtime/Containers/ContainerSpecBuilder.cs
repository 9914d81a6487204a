using Berth.Core.Errors;
using Berth.Runtime.Init;
using Berth.Runtime.Seccomp;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Containers;

/// <summary>
/// Builds a container's config.json the way dockerd does (moby daemon/oci_linux.go on top of oci.DefaultSpec):
/// Docker's mounts, capabilities, seccomp profile, masked and read-only paths, device rules and sysctls, then the
/// user's resources, mounts and security options on top.
/// </summary>
public static class ContainerSpecBuilder
{
    /// <summary>Checks everything that does not need the rootfs (capabilities, mounts, resources, ulimits), so a
    /// create request fails at create time as with Docker, not at start.</summary>
    public static void Validate(ContainerSpecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Args.Count == 0)
            throw Errors.InvalidArgument("no command specified");
        _ = CapabilitySet.Adjust(DockerDefaults.Capabilities, options.CapAdd, options.CapDrop);
        _ = BuildMounts(options);
        _ = BuildResources(options);
        _ = options.Ulimits.Select(ToRlimit).ToList();
    }

    public static RuntimeSpec Build(ContainerSpecOptions options, Func<string, string?> readLink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(readLink);
        if (options.Args.Count == 0)
            throw Errors.InvalidArgument("no command specified");

        List<string> caps = options.Privileged
            ? [.. Spec.Capabilities.All]
            : CapabilitySet.Adjust(DockerDefaults.Capabilities, options.CapAdd, options.CapDrop);
        ResolvedUser user = ContainerUserResolver.Resolve(options.RootfsPath, options.User, readLink);
        string cwd = options.WorkingDir.Length > 0 ? options.WorkingDir : "/";
        if (!cwd.StartsWith('/'))
            throw Errors.InvalidArgument($"the working directory '{cwd}' is invalid, it needs to be an absolute path");
        EnsureWorkingDirectory(options.RootfsPath, cwd, readLink);

        var spec = new RuntimeSpec
        {
            OciVersion = "1.2.0",
            Process = new SpecProcess
            {
                Terminal = options.Tty,
                User = new SpecUser
                {
                    Uid = user.Uid,
                    Gid = user.Gid,
                    AdditionalGids = user.AdditionalGids.Count > 0 ? [.. user.AdditionalGids] : null,
                },
                Args = [.. options.Args],
                Env = BuildEnv(options, user),
                Cwd = cwd,
                Capabilities = new SpecCapabilities { Bounding = [.. caps], Effective = [.. caps], Permitted = [.. caps] },
                Rlimits = options.Ulimits.Count > 0 ? options.Ulimits.Select(ToRlimit).ToList() : null,
                NoNewPrivileges = options.NoNewPrivileges,
                OomScoreAdj = 0,
            },
            Root = new SpecRoot { Path = options.RootfsPath, Readonly = options.ReadonlyRootfs },
            Hostname = options.Hostname,
            Mounts = BuildMounts(options),
            Linux = new SpecLinux
            {
                Resources = BuildResources(options),
                CgroupsPath = options.CgroupsPath,
                Namespaces = BuildNamespaces(options),
                Seccomp = options.Privileged || options.Seccomp == SeccompMode.Unconfined ? null : DefaultSeccompProfile.Create(caps),
                MaskedPaths = options.Privileged ? null : [.. DockerDefaults.MaskedPaths],
                ReadonlyPaths = options.Privileged ? null : [.. DockerDefaults.ReadonlyPaths],
                Sysctl = options.NetworkMode == ContainerNetworkMode.Host ? null : new Dictionary<string, string>
                {
                    // Docker 20.10+: low ports and ping work for unprivileged users in a container's own netns.
                    ["net.ipv4.ip_unprivileged_port_start"] = "0",
                    ["net.ipv4.ping_group_range"] = "0 2147483647",
                },
            },
        };
        return spec;
    }

    /// <summary>Docker's CreateDaemonEnvironment then ReplaceOrAppendEnvValues: PATH, HOSTNAME and TERM first, the
    /// image's and the user's variables replacing or appending by name; HOME from passwd when nobody set it.</summary>
    private static List<string> BuildEnv(ContainerSpecOptions options, ResolvedUser user)
    {
        List<string> env = [DockerDefaults.Path, "HOSTNAME=" + options.Hostname];
        if (options.Tty)
            env.Add("TERM=xterm");
        foreach (string entry in options.Env)
        {
            string name = NameOf(entry);
            int existing = env.FindIndex(e => NameOf(e) == name);
            if (existing >= 0)
                env[existing] = entry;
            else
                env.Add(entry);
        }
        if (!env.Exists(e => NameOf(e) == "HOME"))
            env.Add("HOME=" + user.Home);
        return env;
    }

    private static string NameOf(string entry)
    {
        int eq = entry.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? entry : entry[..eq];
    }

    private static List<SpecMount> BuildMounts(ContainerSpecOptions options)
    {
        string sysMode = options.Privileged ? "rw" : "ro";
        List<SpecMount> mounts =
        [
            Mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
            Mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
            Mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
            Mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", sysMode),
            Mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", sysMode),
            Mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
            Mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", $"size={options.ShmSize}"),
        ];

        string fileMode = options.ReadonlyRootfs ? "ro" : "rw";
        AddFileBind(mounts, "/etc/resolv.conf", options.ResolvConfPath, fileMode);
        AddFileBind(mounts, "/etc/hostname", options.HostnamePath, fileMode);
        AddFileBind(mounts, "/etc/hosts", options.HostsPath, fileMode);

        // Parents before children, as Docker sorts them, so a mount at /a/b lands on top of one at /a.
        foreach (ContainerMountOption user in options.Mounts.OrderBy(m => m.Destination.TrimEnd('/').Count(c => c == '/')))
        {
            if (!user.Destination.StartsWith('/'))
                throw Errors.InvalidArgument($"invalid mount config: mount path must be absolute: {user.Destination}");
            mounts.RemoveAll(m => m.Destination == user.Destination.TrimEnd('/'));
            mounts.Add(ToSpecMount(user));
        }
        return mounts;
    }

    private static SpecMount ToSpecMount(ContainerMountOption mount)
    {
        string destination = mount.Destination.Length > 1 ? mount.Destination.TrimEnd('/') : mount.Destination;
        switch (mount.Type)
        {
            case "bind":
                if (!mount.Source.StartsWith('/'))
                    throw Errors.InvalidArgument($"invalid mount config for type \"bind\": invalid mount path: '{mount.Source}' mount path must be absolute");
                if (!Path.Exists(mount.Source))
                    throw Errors.InvalidArgument($"invalid mount config for type \"bind\": bind source path does not exist: {mount.Source}");
                List<string> bindOptions = ["rbind"];
                bindOptions.AddRange(mount.Options.Count > 0 ? mount.Options : ["rprivate"]);
                if (mount.ReadOnly)
                    bindOptions.Add("ro");
                return new SpecMount { Destination = destination, Type = "bind", Source = mount.Source, Options = bindOptions };
            case "tmpfs":
                List<string> tmpfsOptions = ["noexec", "nosuid", "nodev"];
                foreach (string option in mount.Options)
                {
                    // A user "exec" cancels the default "noexec", and so on, as Docker merges them.
                    tmpfsOptions.Remove("no" + option);
                    if (!tmpfsOptions.Contains(option))
                        tmpfsOptions.Add(option);
                }
                if (mount.ReadOnly)
                    tmpfsOptions.Add("ro");
                return new SpecMount { Destination = destination, Type = "tmpfs", Source = "tmpfs", Options = tmpfsOptions };
            default:
                throw Errors.InvalidArgument($"invalid mount config: mount type unknown: \"{mount.Type}\"");
        }
    }

    private static void AddFileBind(List<SpecMount> mounts, string destination, string? source, string mode)
    {
        if (source is not null)
            mounts.Add(new SpecMount { Destination = destination, Type = "bind", Source = source, Options = ["rbind", "rprivate", mode] });
    }

    private static SpecMount Mount(string destination, string type, string source, params string[] options) =>
        new() { Destination = destination, Type = type, Source = source, Options = [.. options] };

    private static List<SpecNamespace> BuildNamespaces(ContainerSpecOptions options)
    {
        List<SpecNamespace> namespaces =
        [
            new() { Type = "pid" },
            new() { Type = "ipc" },
            new() { Type = "uts" },
            new() { Type = "mount" },
            new() { Type = "cgroup" },
        ];
        if (options.NetworkMode == ContainerNetworkMode.None)
            namespaces.Insert(1, new SpecNamespace { Type = "network" });
        return namespaces;
    }

    private static SpecResources BuildResources(ContainerSpecOptions options)
    {
        var resources = new SpecResources
        {
            Devices = options.Privileged
                ? [new SpecDeviceRule { Allow = true, Access = "rwm" }]
                : DefaultDeviceRules(),
        };

        if (options.Memory < 0 || (options.Memory > 0 && options.Memory < 6 << 20))
            throw Errors.InvalidArgument("Minimum memory limit allowed is 6MB");
        if (options.Memory > 0 || options.OomKillDisable)
        {
            long? swap = options.MemorySwap switch
            {
                0 when options.Memory > 0 => options.Memory * 2,
                0 => null,
                _ => options.MemorySwap,
            };
            if (swap > 0 && swap < options.Memory)
                throw Errors.InvalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage");
            resources.Memory = new SpecMemory
            {
                Limit = options.Memory > 0 ? options.Memory : null,
                Swap = swap,
                DisableOomKiller = options.OomKillDisable ? true : null,
            };
        }

        if (options.NanoCpus > 0 && (options.CpuQuota > 0 || options.CpuPeriod > 0))
            throw Errors.Conflict("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (options.NanoCpus < 0 || options.NanoCpus > (long)Environment.ProcessorCount * 1_000_000_000)
            throw Errors.InvalidArgument($"Range of CPUs is from 0.01 to {Environment.ProcessorCount}.00, as there are only {Environment.ProcessorCount} CPUs available");
        if (options.NanoCpus > 0 || options.CpuShares > 0 || options.CpuQuota > 0 || options.CpuPeriod > 0 || options.CpusetCpus.Length > 0)
        {
            resources.Cpu = new SpecCpu
            {
                Shares = options.CpuShares > 0 ? (ulong)options.CpuShares : null,
                Quota = options.NanoCpus > 0 ? options.NanoCpus * DockerDefaults.CpuPeriod / 1_000_000_000 : (options.CpuQuota > 0 ? options.CpuQuota : null),
                Period = options.NanoCpus > 0 ? (ulong)DockerDefaults.CpuPeriod : (options.CpuPeriod > 0 ? (ulong)options.CpuPeriod : null),
                Cpus = options.CpusetCpus.Length > 0 ? options.CpusetCpus : null,
            };
        }

        if (options.PidsLimit > 0)
            resources.Pids = new SpecPids { Limit = options.PidsLimit };
        return resources;
    }

    /// <summary>Deny everything, then Docker's default allow list (moby oci.DefaultLinuxSpec's device rules).</summary>
    private static List<SpecDeviceRule> DefaultDeviceRules() =>
    [
        new() { Allow = false, Access = "rwm" },
        new() { Allow = true, Type = "c", Access = "m" },
        new() { Allow = true, Type = "b", Access = "m" },
        Char(1, 3), Char(1, 5), Char(1, 7), Char(1, 8), Char(1, 9), Char(5, 0), Char(5, 1), Char(5, 2),
        new() { Allow = true, Type = "c", Major = 136, Access = "rwm" },
        Char(10, 200),
    ];

    private static SpecDeviceRule Char(long major, long minor) =>
        new() { Allow = true, Type = "c", Major = major, Minor = minor, Access = "rwm" };

    private static SpecRlimit ToRlimit(UlimitOption ulimit)
    {
        string type = "RLIMIT_" + ulimit.Name.ToUpperInvariant();
        if (!Rlimits.All.Contains(type))
            throw Errors.InvalidArgument($"invalid ulimit type: {ulimit.Name}");
        if (ulimit.Soft > ulimit.Hard && ulimit.Hard >= 0)
            throw Errors.InvalidArgument($"ulimit soft limit must be less than or equal to hard limit: {ulimit.Soft} > {ulimit.Hard}");
        return new SpecRlimit { Type = type, Soft = unchecked((ulong)ulimit.Soft), Hard = unchecked((ulong)ulimit.Hard) };
    }

    /// <summary>Docker creates a missing working directory (owned by root, 0755) before starting the container.</summary>
    private static void EnsureWorkingDirectory(string rootfs, string cwd, Func<string, string?> readLink)
    {
        string path = SecurePath.Join(rootfs, cwd, readLink);
        if (Directory.Exists(path))
            return;
        if (File.Exists(path))
            throw Errors.InvalidArgument($"the working directory '{cwd}' is not a directory");
        DirectoryInfo created = Directory.CreateDirectory(path);
        File.SetUnixFileMode(created.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
