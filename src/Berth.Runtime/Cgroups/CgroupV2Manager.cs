using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A container's cgroup in the v2 unified hierarchy: one directory, with the controllers it needs enabled
/// in every ancestor's cgroup.subtree_control (a controller is only available in a cgroup when its parent
/// delegates it). Controller-specific writes live in the partial files.
/// </summary>
internal sealed partial class CgroupV2Manager : ICgroupManager
{
    /// <summary>The controllers a container's limits use; others stay as the host configured them.</summary>
    private static readonly string[] WantedControllers = ["cpu", "cpuset", "memory", "pids"];

    private readonly string _root;
    private readonly ICgroupDirectories _directories;

    public CgroupV2Manager(string cgroupRoot, string path)
        : this(cgroupRoot, path, CgroupfsDirectories.Instance)
    {
    }

    internal CgroupV2Manager(string cgroupRoot, string path, ICgroupDirectories directories)
    {
        ArgumentNullException.ThrowIfNull(cgroupRoot);
        ArgumentNullException.ThrowIfNull(directories);
        Path = CgroupPaths.Validate(path);
        _root = cgroupRoot;
        _directories = directories;
        FullPath = System.IO.Path.Join(cgroupRoot, Path);
    }

    public string Path { get; }

    /// <summary>How long <see cref="Freeze"/> waits for cgroup.events to report frozen.</summary>
    internal TimeSpan FreezeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The container's directory (root joined with <see cref="Path"/>).</summary>
    internal string FullPath { get; }

    public void Create()
    {
        string current = _root;
        foreach (string component in Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            // Enable in the parent before creating the child, so the child is born with the controllers' files.
            EnableControllers(current);
            current = System.IO.Path.Join(current, component);
            if (!Directory.Exists(current))
            {
                _directories.Make(current);
            }
        }
    }

    public void Apply(CgroupResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ApplyMemory(resources);
        ApplyCpu(resources);
        ApplyCpuset(resources);
        ApplyPids(resources);

        // Last, so raw unified entries override the typed values (runc's order).
        ApplyUnified(resources);
    }

    public void AddProcess(int pid) =>
        CgroupFile.Write(FullPath, "cgroup.procs", pid.ToString(CultureInfo.InvariantCulture));

    public IReadOnlyList<string> SelfMoveFiles() => [];

    public SafeFd? OpenDirectoryForClone() => FileDescriptors.OpenDirectory(FullPath);

    public IReadOnlyList<int> GetPids() => CgroupDirectory.ReadPidsRecursive(FullPath);

    public long GetOomKillCount() => CgroupFile.TryReadKeyed(FullPath, "memory.events", "oom_kill") ?? 0;

    public bool Exists() => Directory.Exists(FullPath);

    public void Destroy()
    {
        try
        {
            CgroupDirectory.RemoveTree(_directories, FullPath);
        }
        catch (LinuxException ex)
        {
            throw Errors.Wrap(ex, $"removing cgroup {Path}");
        }
    }

    /// <summary>
    /// Writes "+cpu +cpuset +memory +pids" (those the cgroup itself has, per cgroup.controllers) to
    /// <paramref name="cgroup"/>'s subtree_control. Enabling an already enabled controller is a no-op.
    /// </summary>
    private static void EnableControllers(string cgroup)
    {
        string available = CgroupFile.TryRead(cgroup, "cgroup.controllers") ?? "";
        var present = available.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        string[] enable = [.. WantedControllers.Where(present.Contains)];
        if (enable.Length > 0)
        {
            CgroupFile.Write(cgroup, "cgroup.subtree_control", string.Join(' ', enable.Select(c => "+" + c)));
        }
    }
}
