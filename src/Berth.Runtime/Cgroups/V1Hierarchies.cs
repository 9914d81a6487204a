namespace Berth.Runtime.Cgroups;

/// <summary>
/// The controller hierarchies of a cgroup v1 root: one mount per controller or per group of co-mounted
/// controllers ("cpu,cpuacct", usually with "cpu" and "cpuacct" symlinks to it). Hierarchies are
/// deduplicated by real path so a co-mounted pair is created, joined and removed once.
/// </summary>
internal sealed class V1Hierarchies
{
    private readonly Dictionary<string, string> _byController;

    private V1Hierarchies(IReadOnlyList<string> roots, Dictionary<string, string> byController)
    {
        Roots = roots;
        _byController = byController;
    }

    /// <summary>The real path of each distinct hierarchy, in a stable order.</summary>
    public IReadOnlyList<string> Roots { get; }

    public static V1Hierarchies Discover(string cgroupRoot)
    {
        var roots = new SortedSet<string>(StringComparer.Ordinal);
        var byController = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(cgroupRoot))
        {
            return new V1Hierarchies([], byController);
        }

        foreach (DirectoryInfo entry in new DirectoryInfo(cgroupRoot).EnumerateDirectories())
        {
            string real = entry.LinkTarget is null ? entry.FullName : entry.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? entry.FullName;
            if (IsSkipped(entry.Name) || IsSkipped(Path.GetFileName(real)) || File.Exists(Path.Join(real, "cgroup.controllers")))
            {
                continue;
            }

            roots.Add(real);

            // Both the entry name ("cpu" symlink) and the real name ("cpu,cpuacct") say which controllers live here.
            foreach (string controller in entry.Name.Split(',').Concat(Path.GetFileName(real).Split(',')))
            {
                byController.TryAdd(controller, real);
            }
        }

        return new V1Hierarchies([.. roots], byController);
    }

    /// <summary>The hierarchy holding <paramref name="controller"/>, or null when the host does not mount it.</summary>
    public string? Find(string controller) => _byController.GetValueOrDefault(controller);

    // "unified" is the (controller-less) v2 mount of a hybrid host; "systemd"/"name=..." are named hierarchies
    // that track processes for a service manager and carry no resource controllers: not ours to create in.
    private static bool IsSkipped(string name) =>
        name is "unified" or "systemd" || name.StartsWith("name=", StringComparison.Ordinal);
}
