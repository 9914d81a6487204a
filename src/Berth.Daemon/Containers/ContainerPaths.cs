namespace Berth.Daemon.Containers;

/// <summary>Where a container's files live (ARCHITECTURE §4): persistent ones under the data root, runtime ones
/// (shim state, rootfs mount point, bundle) under the exec root, which does not survive a reboot.</summary>
internal sealed class ContainerPaths(string dataRoot, string execRoot)
{
    public string Metadata { get; } = Path.Combine(dataRoot, "metadata", "containers");

    public string RuntimeRoot { get; } = Path.Combine(execRoot, "runtime");

    /// <summary>Compiled seccomp programs the shims' runtime keeps for the next container with the same profile.</summary>
    public string SeccompCache { get; } = Path.Combine(execRoot, "seccomp-cache");

    public string DataDirectory(string id) => Path.Combine(DataDirectories, id);

    /// <summary>Where every <see cref="DataDirectory"/> is, with the spares <see cref="DataDirectoryPool"/> keeps.</summary>
    public string DataDirectories { get; } = Path.Combine(dataRoot, "containers");

    public string LogPath(string id) => Path.Combine(DataDirectory(id), id + "-json.log");

    /// <summary>The bundle: config.json plus the rootfs mount point.</summary>
    public string RunDirectory(string id) => Path.Combine(execRoot, "containers", id);

    public string Rootfs(string id) => Path.Combine(RunDirectory(id), "rootfs");

    /// <summary>The shim's own directory (socket, exit.json); the shim removes it on delete. Short on purpose: the
    /// socket path inside must fit sun_path's 108 bytes even under a long exec root (16 hex digits stay unique).</summary>
    public string ShimDirectory(string id) => Path.Combine(ShimDirectories, id[..16]);

    /// <summary>Where every <see cref="ShimDirectory"/> is: empty when no shim is alive and none left an exit behind.</summary>
    public string ShimDirectories { get; } = Path.Combine(execRoot, "s");
}
