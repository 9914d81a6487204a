namespace Berth.Runtime.Containers;

/// <summary>
/// Everything the daemon decided about one container, in runtime terms: the image config merged with the create
/// request. <see cref="ContainerSpecBuilder"/> turns it into the bundle's config.json with Docker's defaults.
/// </summary>
public sealed record ContainerSpecOptions
{
    public required string Id { get; init; }

    /// <summary>The mounted root filesystem (the snapshot's mount point).</summary>
    public required string RootfsPath { get; init; }

    /// <summary>Entrypoint followed by Cmd; must not be empty.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string WorkingDir { get; init; } = "";

    /// <summary>Docker's -u: "", "name", "uid", "name:group", "uid:gid".</summary>
    public string User { get; init; } = "";

    public bool Tty { get; init; }

    public required string Hostname { get; init; }

    public string Domainname { get; init; } = "";

    /// <summary>Generated per-container files bound over /etc/hostname, /etc/hosts, /etc/resolv.conf (null: none).</summary>
    public string? HostnamePath { get; init; }

    public string? HostsPath { get; init; }

    public string? ResolvConfPath { get; init; }

    public IReadOnlyList<ContainerMountOption> Mounts { get; init; } = [];

    public ContainerNetworkMode NetworkMode { get; init; } = ContainerNetworkMode.None;

    public bool Privileged { get; init; }

    public bool ReadonlyRootfs { get; init; }

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    public SeccompMode Seccomp { get; init; } = SeccompMode.Default;

    public bool NoNewPrivileges { get; init; }

    /// <summary>Bytes; 0 = unlimited.</summary>
    public long Memory { get; init; }

    /// <summary>Memory + swap in bytes; 0 = Docker's default (twice Memory), -1 = unlimited swap.</summary>
    public long MemorySwap { get; init; }

    public long NanoCpus { get; init; }

    public long CpuShares { get; init; }

    public long CpuQuota { get; init; }

    public long CpuPeriod { get; init; }

    public string CpusetCpus { get; init; } = "";

    /// <summary>0 or negative = unlimited.</summary>
    public long PidsLimit { get; init; }

    public bool OomKillDisable { get; init; }

    public IReadOnlyList<UlimitOption> Ulimits { get; init; } = [];

    /// <summary>cgroup path for linux.cgroupsPath ("/berth/&lt;id&gt;").</summary>
    public required string CgroupsPath { get; init; }

    /// <summary>Size of /dev/shm in bytes (Docker's --shm-size, default 64 MiB).</summary>
    public long ShmSize { get; init; } = 64L << 20;
}
