using System.Text.Json.Serialization;

namespace Berth.Daemon.Configuration;

/// <summary>
/// /etc/berth/daemon.json, with dockerd's key names. Unknown keys are an error, as in dockerd ("the following
/// directives don't match any configuration option"), so a typo is not silently ignored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record DaemonConfigFile
{
    [JsonPropertyName("hosts")]
    public List<string>? Hosts { get; init; }

    [JsonPropertyName("data-root")]
    public string? DataRoot { get; init; }

    [JsonPropertyName("exec-root")]
    public string? ExecRoot { get; init; }

    [JsonPropertyName("pidfile")]
    public string? PidFile { get; init; }

    [JsonPropertyName("group")]
    public string? Group { get; init; }

    [JsonPropertyName("insecure-registries")]
    public List<string>? InsecureRegistries { get; init; }

    [JsonPropertyName("registry-mirrors")]
    public List<string>? RegistryMirrors { get; init; }

    [JsonPropertyName("max-concurrent-downloads")]
    public int? MaxConcurrentDownloads { get; init; }

    [JsonPropertyName("log-level")]
    public string? LogLevel { get; init; }

    [JsonPropertyName("log-opts")]
    public Dictionary<string, string>? LogOpts { get; init; }

    [JsonPropertyName("default-ulimits")]
    public Dictionary<string, DefaultUlimit>? DefaultUlimits { get; init; }

    [JsonPropertyName("storage-driver")]
    public string? StorageDriver { get; init; }

    [JsonPropertyName("default-runtime")]
    public string? DefaultRuntime { get; init; }
}
