namespace Berth.Daemon.Configuration;

/// <summary>berthd's effective settings: daemon.json overlaid with command-line flags (flags win, as in dockerd).</summary>
internal sealed record DaemonSettings
{
    public const string DefaultSocket = "unix:///run/berth/berth.sock";
    public const string DefaultConfigFile = "/etc/berth/daemon.json";

    public IReadOnlyList<string> Hosts { get; init; } = [DefaultSocket];

    public string DataRoot { get; init; } = "/var/lib/berth";

    public string ExecRoot { get; init; } = "/run/berth";

    public string? PidFile { get; init; } = "/run/berth/berthd.pid";

    /// <summary>Group given the socket (mode 0660) when it exists, like dockerd's "docker" group.</summary>
    public string SocketGroup { get; init; } = "berth";

    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    public IReadOnlyList<string> RegistryMirrors { get; init; } = [];

    public int MaxConcurrentDownloads { get; init; } = 3;

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public IReadOnlyDictionary<string, string> LogOpts { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, DefaultUlimit> DefaultUlimits { get; init; } = new Dictionary<string, DefaultUlimit>();

    public string StorageDriver { get; init; } = "overlay2";

    public string DefaultRuntime { get; init; } = "berth-runtime";
}
