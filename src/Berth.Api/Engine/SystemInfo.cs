using System.Text.Json.Serialization;

namespace Berth.Api.Engine;

/// <summary><c>GET /info</c>: host facts and object counts, as <c>docker info</c> prints them.</summary>
public sealed record SystemInfo
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    public int Containers { get; init; }

    public int ContainersRunning { get; init; }

    public int ContainersPaused { get; init; }

    public int ContainersStopped { get; init; }

    public int Images { get; init; }

    public string Driver { get; init; } = "";

    public IReadOnlyList<IReadOnlyList<string>> DriverStatus { get; init; } = [];

    public string DockerRootDir { get; init; } = "";

    public PluginsInfo Plugins { get; init; } = new();

    public bool MemoryLimit { get; init; }

    public bool SwapLimit { get; init; }

    public bool CpuCfsPeriod { get; init; }

    public bool CpuCfsQuota { get; init; }

    [JsonPropertyName("CPUShares")]
    public bool CpuShares { get; init; }

    [JsonPropertyName("CPUSet")]
    public bool CpuSet { get; init; }

    public bool PidsLimit { get; init; }

    public bool OomKillDisable { get; init; }

    public bool IPv4Forwarding { get; init; }

    public bool Debug { get; init; }

    public int NFd { get; init; }

    public int NGoroutines { get; init; }

    public string SystemTime { get; init; } = "";

    public string LoggingDriver { get; init; } = "";

    public string CgroupDriver { get; init; } = "";

    public string CgroupVersion { get; init; } = "";

    public int NEventsListener { get; init; }

    public string KernelVersion { get; init; } = "";

    public string OperatingSystem { get; init; } = "";

    public string OSVersion { get; init; } = "";

    public string OSType { get; init; } = "linux";

    public string Architecture { get; init; } = "";

    public string IndexServerAddress { get; init; } = "https://index.docker.io/v1/";

    public RegistryServiceConfig RegistryConfig { get; init; } = new();

    public int NCPU { get; init; }

    public long MemTotal { get; init; }

    public string HttpProxy { get; init; } = "";

    public string HttpsProxy { get; init; } = "";

    public string NoProxy { get; init; } = "";

    public string Name { get; init; } = "";

    public IReadOnlyList<string> Labels { get; init; } = [];

    public bool ExperimentalBuild { get; init; }

    public string ServerVersion { get; init; } = "";

    public IDictionary<string, RuntimeInfo> Runtimes { get; init; } = new Dictionary<string, RuntimeInfo>();

    public string DefaultRuntime { get; init; } = "";

    public SwarmInfo Swarm { get; init; } = new();

    public bool LiveRestoreEnabled { get; init; }

    public string Isolation { get; init; } = "";

    public string InitBinary { get; init; } = "";

    public CommitInfo ContainerdCommit { get; init; } = new();

    public CommitInfo RuncCommit { get; init; } = new();

    public CommitInfo InitCommit { get; init; } = new();

    public IReadOnlyList<string> SecurityOptions { get; init; } = [];

    public IReadOnlyList<string>? Warnings { get; init; }
}
