using System.Text.Json.Serialization;

namespace Berth.Api.Containers;

/// <summary><c>GET /containers/{id}/json</c>. Created is an RFC 3339 string here (Unix seconds in the list).</summary>
public sealed record ContainerInspectResponse
{
    public string Id { get; init; } = "";

    [JsonConverter(typeof(Json.RfcTimeConverter))]
    public DateTimeOffset Created { get; init; }

    public string Path { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];

    public ContainerState State { get; init; } = new();

    public string Image { get; init; } = "";

    public string ResolvConfPath { get; init; } = "";

    public string HostnamePath { get; init; } = "";

    public string HostsPath { get; init; } = "";

    public string LogPath { get; init; } = "";

    /// <summary>The name with Docker's leading slash: "/web".</summary>
    public string Name { get; init; } = "";

    public int RestartCount { get; init; }

    public string Driver { get; init; } = "";

    public string Platform { get; init; } = "linux";

    public string MountLabel { get; init; } = "";

    public string ProcessLabel { get; init; } = "";

    public string AppArmorProfile { get; init; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonPropertyName("ExecIDs")]
    public IReadOnlyList<string>? ExecIds { get; init; }

    public HostConfig HostConfig { get; init; } = new();

    public GraphDriverData GraphDriver { get; init; } = new();

    public long? SizeRw { get; init; }

    public long? SizeRootFs { get; init; }

    public IReadOnlyList<MountPoint> Mounts { get; init; } = [];

    public ContainerConfig Config { get; init; } = new();

    public NetworkSettings NetworkSettings { get; init; } = new();
}
