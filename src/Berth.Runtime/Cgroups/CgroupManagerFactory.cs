namespace Berth.Runtime.Cgroups;

/// <summary>Picks the cgroup version the host runs.</summary>
public static class CgroupManagerFactory
{
    /// <summary>
    /// A v2 manager when <paramref name="cgroupRoot"/> is the unified hierarchy (it has cgroup.controllers),
    /// else v1. A hybrid host (v1 controllers plus an empty v2 mount at "unified") is v1: its controllers
    /// are all on the v1 side.
    /// </summary>
    /// <param name="cgroupRoot">Normally /sys/fs/cgroup.</param>
    /// <param name="path">The container's path below the root, from <see cref="CgroupPaths.Resolve"/>.</param>
    public static ICgroupManager Create(string cgroupRoot, string path) =>
        Create(cgroupRoot, path, CgroupfsDirectories.Instance);

    internal static ICgroupManager Create(string cgroupRoot, string path, ICgroupDirectories directories)
    {
        ArgumentNullException.ThrowIfNull(cgroupRoot);
        return IsUnified(cgroupRoot)
            ? new CgroupV2Manager(cgroupRoot, path, directories)
            : new CgroupV1Manager(cgroupRoot, path, directories);
    }

    public static bool IsUnified(string cgroupRoot) => File.Exists(Path.Join(cgroupRoot, "cgroup.controllers"));
}
