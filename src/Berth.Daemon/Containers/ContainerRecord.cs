using Berth.Api.Containers;

namespace Berth.Daemon.Containers;

/// <summary>
/// What berthd keeps about one container across restarts (Docker's config.v2.json + hostconfig.json in one
/// document): the merged config, the host config as asked, and the last known state.
/// </summary>
internal sealed class ContainerRecord
{
    public string Id { get; set; } = "";

    /// <summary>Without Docker's leading slash.</summary>
    public string Name { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    /// <summary>The image ID (<c>sha256:…</c>).</summary>
    public string ImageId { get; set; } = "";

    /// <summary>The image as the user named it (Config.Image).</summary>
    public string ImageName { get; set; } = "";

    /// <summary>The chain ID of the image's top layer, which the container's layer sits on through the image's mount-target
    /// layer when it has one (null for an image without layers).</summary>
    public string? SnapshotParent { get; set; }

    public string Path { get; set; } = "";

    public List<string> Args { get; set; } = [];

    public ContainerConfig Config { get; set; } = new();

    public HostConfig HostConfig { get; set; } = new();

    public ContainerState State { get; set; } = new() { Status = ContainerStatuses.Created };

    public int RestartCount { get; set; }

    public bool HasBeenStarted { get; set; }

    /// <summary>Stopped by the user: unless-stopped and always restart policies stand down (until the daemon restarts,
    /// for always).</summary>
    public bool ManuallyStopped { get; set; }

    public string LogPath { get; set; } = "";

    public string HostnamePath { get; set; } = "";

    public string HostsPath { get; set; } = "";

    public string ResolvConfPath { get; set; } = "";
}
