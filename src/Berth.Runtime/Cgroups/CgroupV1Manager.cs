using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A container's cgroup on a v1 host: the same path below every controller hierarchy
/// (/sys/fs/cgroup/memory/berth/abc, /sys/fs/cgroup/cpu,cpuacct/berth/abc, ...). Like runc, the directory
/// is created in every hierarchy, not only the ones with limits, so the container is fully accounted and
/// Destroy finds everything it has to remove. Controller-specific writes live in the partial files.
/// </summary>
internal sealed partial class CgroupV1Manager : ICgroupManager
{
    private readonly ICgroupDirectories _directories;
    private readonly V1Hierarchies _hierarchies;

    public CgroupV1Manager(string cgroupRoot, string path)
        : this(cgroupRoot, path, CgroupfsDirectories.Instance)
    {
    }

    internal CgroupV1Manager(string cgroupRoot, string path, ICgroupDirectories directories)
    {
        ArgumentNullException.ThrowIfNull(cgroupRoot);
        ArgumentNullException.ThrowIfNull(directories);
        Path = CgroupPaths.Validate(path);
        _directories = directories;
        _hierarchies = V1Hierarchies.Discover(cgroupRoot);
    }

    public string Path { get; }

    /// <summary>How long <see cref="Freeze"/> waits for FREEZING to become FROZEN.</summary>
    internal TimeSpan FreezeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public void Create()
    {
        if (_hierarchies.Roots.Count == 0)
        {
            throw Errors.FailedPrecondition("no cgroup v1 controller hierarchies are mounted");
        }

        string? cpuset = _hierarchies.Find("cpuset");
        foreach (string root in _hierarchies.Roots)
        {
            string current = root;
            foreach (string component in Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                string parent = current;
                current = System.IO.Path.Join(current, component);
                if (!Directory.Exists(current))
                {
                    _directories.Make(current);
                }

                if (root == cpuset)
                {
                    InheritCpuset(parent, current);
                }
            }
        }
    }

    public void Apply(CgroupResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if (resources.Unified is { Count: > 0 })
        {
            throw Errors.InvalidArgument("linux.resources.unified needs cgroup v2; this host uses cgroup v1");
        }

        ApplyMemory(resources);
        ApplyCpu(resources);
        ApplyCpuset(resources);
        ApplyPids(resources);
    }

    public void AddProcess(int pid)
    {
        string value = pid.ToString(CultureInfo.InvariantCulture);
        foreach (string root in _hierarchies.Roots)
        {
            CgroupFile.Write(Leaf(root), "cgroup.procs", value);
        }
    }

    public IReadOnlyList<string> SelfMoveFiles() => [.. _hierarchies.Roots.Select(root => System.IO.Path.Join(Leaf(root), "tasks"))];

    /// <summary>v1 has no CLONE_INTO_CGROUP; the process is moved in with <see cref="AddProcess"/>.</summary>
    public SafeFd? OpenDirectoryForClone() => null;

    public IReadOnlyList<int> GetPids()
    {
        // Any hierarchy sees every process; prefer the ones a container always has a directory in.
        string? root = _hierarchies.Find("pids") ?? _hierarchies.Find("freezer") ?? _hierarchies.Find("memory")
            ?? (_hierarchies.Roots.Count > 0 ? _hierarchies.Roots[0] : null);
        return root is null ? [] : CgroupDirectory.ReadPidsRecursive(Leaf(root));
    }

    public long GetOomKillCount() =>
        ControllerDirectory("memory") is { } memory ? CgroupFile.TryReadKeyed(memory, "memory.oom_control", "oom_kill") ?? 0 : 0;

    public bool Exists() => _hierarchies.Roots.Any(root => Directory.Exists(Leaf(root)));

    public void Destroy()
    {
        LinuxException? first = null;
        foreach (string root in _hierarchies.Roots)
        {
            try
            {
                CgroupDirectory.RemoveTree(_directories, Leaf(root));
            }
            catch (LinuxException ex)
            {
                // Keep going: a busy memory cgroup must not leave the other hierarchies behind.
                first ??= ex;
            }
        }

        if (first is not null)
        {
            throw Errors.Wrap(first, $"removing cgroup {Path}");
        }
    }

    private string Leaf(string hierarchyRoot) => System.IO.Path.Join(hierarchyRoot, Path);

    /// <summary>The container's directory in the hierarchy holding <paramref name="controller"/>, or null if not mounted.</summary>
    private string? ControllerDirectory(string controller) =>
        _hierarchies.Find(controller) is { } root ? Leaf(root) : null;

    private string RequireControllerDirectory(string controller) =>
        ControllerDirectory(controller)
        ?? throw Errors.NotImplemented($"cgroup v1 controller \"{controller}\" is not mounted");
}
