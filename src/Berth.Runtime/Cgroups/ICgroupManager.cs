using Berth.Linux;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// One container's cgroup, on whichever hierarchy the host has (v1 per-controller directories or the v2
/// unified tree). <see cref="Path"/> is the container's path below each hierarchy root, e.g. "/berth/abc".
/// </summary>
public interface ICgroupManager
{
    string Path { get; }

    /// <summary>Creates the directories (v1: in every hierarchy; v2: the one directory, enabling controllers in ancestors).</summary>
    void Create();

    /// <summary>Writes the limits; also used by <c>update</c> on a running container.</summary>
    void Apply(CgroupResources resources);

    /// <summary>Moves a process in (written to cgroup.procs of every hierarchy).</summary>
    void AddProcess(int pid);

    /// <summary>
    /// v1: the <c>tasks</c> file of every hierarchy. A thread that writes "0" there moves itself without the global
    /// lock a cgroup.procs write takes, whose first taking in a while waits for an RCU grace period (measured here:
    /// 9-15 ms against 0.06 ms). v2: none; clone3 places the child.
    /// </summary>
    IReadOnlyList<string> SelfMoveFiles();

    /// <summary>A directory fd for clone3(CLONE_INTO_CGROUP) on v2; null on v1.</summary>
    SafeFd? OpenDirectoryForClone();

    /// <summary>Every pid in the container's cgroup and its descendants.</summary>
    IReadOnlyList<int> GetPids();

    /// <summary>Freezes and waits until the kernel reports frozen.</summary>
    void Freeze();

    void Thaw();

    FreezerState GetFreezerState();

    /// <summary>How many processes the OOM killer has killed in this cgroup.</summary>
    long GetOomKillCount();

    bool Exists();

    /// <summary>Removes the container's directories (not shared parents); tolerates ones already gone.</summary>
    void Destroy();
}
