using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Daemon.Configuration;
using Berth.Runtime.Containers;

namespace Berth.Daemon.Containers;

/// <summary>Turns a container record (merged config + host config) into the runtime's terms. Everything Docker
/// refuses at create is refused here, so create calls it once to validate.</summary>
internal static class ContainerSpecOptionsFactory
{
    public static ContainerSpecOptions Create(ContainerRecord record, string rootfs, DaemonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(settings);
        HostConfig host = record.HostConfig;
        (SeccompMode seccomp, bool noNewPrivileges) = ParseSecurityOptions(host.SecurityOpt ?? []);
        return new ContainerSpecOptions
        {
            Id = record.Id,
            RootfsPath = rootfs,
            Args = ContainerConfigMerger.CommandLine(record.Config),
            Env = record.Config.Env ?? [],
            WorkingDir = record.Config.WorkingDir ?? "",
            User = record.Config.User ?? "",
            Tty = record.Config.Tty,
            Hostname = record.Config.Hostname ?? record.Id[..12],
            Domainname = record.Config.Domainname ?? "",
            HostnamePath = record.HostnamePath,
            HostsPath = record.HostsPath,
            ResolvConfPath = record.ResolvConfPath,
            Mounts = Mounts(host),
            NetworkMode = NetworkMode(host.NetworkMode),
            Privileged = host.Privileged,
            ReadonlyRootfs = host.ReadonlyRootfs,
            CapAdd = host.CapAdd ?? [],
            CapDrop = host.CapDrop ?? [],
            Seccomp = seccomp,
            NoNewPrivileges = noNewPrivileges,
            Memory = host.Memory ?? 0,
            MemorySwap = host.MemorySwap ?? 0,
            NanoCpus = host.NanoCpus ?? 0,
            CpuShares = host.CpuShares ?? 0,
            CpuQuota = host.CpuQuota ?? 0,
            CpuPeriod = host.CpuPeriod ?? 0,
            CpusetCpus = host.CpusetCpus ?? "",
            PidsLimit = host.PidsLimit ?? 0,
            OomKillDisable = host.OomKillDisable ?? false,
            Ulimits = Ulimits(host.Ulimits ?? [], settings),
            CgroupsPath = "/berth/" + record.Id,
            ShmSize = host.ShmSize is > 0 ? host.ShmSize.Value : 64L << 20,
        };
    }

    /// <summary>"none" and "host" are real; the default bridge is not built yet, so it means a private network
    /// namespace with loopback only (create says so in Warnings).</summary>
    public static ContainerNetworkMode NetworkMode(string? mode) => mode switch
    {
        null or "" or "default" or "bridge" or "none" => ContainerNetworkMode.None,
        "host" => ContainerNetworkMode.Host,
        _ when mode.StartsWith("container:", StringComparison.Ordinal) => throw Errors.NotImplemented($"network mode \"{mode}\" is not supported yet"),
        _ => throw Errors.NotFound($"network {mode} not found"),
    };

    private static List<ContainerMountOption> Mounts(HostConfig host)
    {
        List<ContainerMountOption> mounts = [.. (host.Binds ?? []).Select(BindParser.Parse)];
        foreach (MountSpec mount in host.Mounts ?? [])
        {
            if (!mount.Target.StartsWith('/'))
                throw Errors.InvalidArgument($"invalid mount config for type \"{mount.Type}\": invalid mount path: '{mount.Target}' mount path must be absolute");
            switch (mount.Type)
            {
                case "bind":
                    if (string.IsNullOrEmpty(mount.Source))
                        throw Errors.InvalidArgument("invalid mount config for type \"bind\": field Source must not be empty");
                    List<string> propagation = mount.BindOptions?.Propagation is { Length: > 0 } p ? [p] : [];
                    mounts.Add(new ContainerMountOption("bind", mount.Source, mount.Target) { ReadOnly = mount.ReadOnly, Options = propagation });
                    break;
                case "tmpfs":
                    List<string> options = [];
                    if (mount.TmpfsOptions?.SizeBytes is > 0 and long size)
                        options.Add($"size={size}");
                    if (mount.TmpfsOptions?.Mode is > 0 and int mode)
                        options.Add($"mode={Convert.ToString(mode, 8)}");
                    mounts.Add(new ContainerMountOption("tmpfs", "tmpfs", mount.Target) { ReadOnly = mount.ReadOnly, Options = options });
                    break;
                case "volume":
                    throw Errors.NotImplemented("volume mounts are not supported yet");
                default:
                    throw Errors.InvalidArgument($"invalid mount config: mount type unknown: \"{mount.Type}\"");
            }
        }
        foreach (KeyValuePair<string, string> tmpfs in host.Tmpfs ?? new Dictionary<string, string>())
        {
            List<string> options = [.. tmpfs.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)];
            bool readOnly = options.Remove("ro");
            options.Remove("rw");
            mounts.Add(new ContainerMountOption("tmpfs", "tmpfs", tmpfs.Key) { ReadOnly = readOnly, Options = options });
        }
        return mounts;
    }

    private static (SeccompMode Seccomp, bool NoNewPrivileges) ParseSecurityOptions(IReadOnlyList<string> options)
    {
        SeccompMode seccomp = SeccompMode.Default;
        bool noNewPrivileges = false;
        foreach (string option in options)
        {
            // Docker accepts both "key=value" and the older "key:value".
            int split = option.IndexOfAny(['=', ':']);
            string key = split < 0 ? option : option[..split];
            string value = split < 0 ? "" : option[(split + 1)..];
            switch (key)
            {
                case "no-new-privileges":
                    noNewPrivileges = value switch
                    {
                        "" or "true" => true,
                        "false" => false,
                        _ => throw Errors.InvalidArgument($"invalid --security-opt 2: \"{option}\""),
                    };
                    break;
                case "seccomp" when value == "unconfined":
                    seccomp = SeccompMode.Unconfined;
                    break;
                case "seccomp" when value is "builtin" or "default":
                    seccomp = SeccompMode.Default;
                    break;
                case "seccomp":
                    throw Errors.NotImplemented("custom seccomp profiles are not supported yet; use seccomp=unconfined or the default");
                case "apparmor" or "label" or "systempaths" or "writable-cgroups":
                    // No AppArmor or SELinux here; Docker ignores apparmor where it is disabled too.
                    break;
                default:
                    throw Errors.InvalidArgument($"invalid --security-opt 1: \"{option}\"");
            }
        }
        return (seccomp, noNewPrivileges);
    }

    private static List<UlimitOption> Ulimits(IReadOnlyList<Ulimit> ulimits, DaemonSettings settings)
    {
        List<UlimitOption> result = [.. ulimits.Select(u => new UlimitOption(u.Name, u.Soft, u.Hard))];
        foreach (var pair in settings.DefaultUlimits)
        {
            if (!result.Exists(u => u.Name == pair.Key))
                result.Add(new UlimitOption(pair.Key, pair.Value.Soft, pair.Value.Hard));
        }
        return result;
    }
}
