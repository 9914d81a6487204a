namespace Berth.Linux.Spawn;

/// <summary>What to start and how: the child execs <see cref="Path"/> inside the new namespaces.</summary>
public sealed record SpawnOptions
{
    public required string Path { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Namespaces the child is created in.</summary>
    public NamespaceFlags Namespaces { get; init; }

    /// <summary>A CLOEXEC fd the child keeps open across exec (the init's sync socket).</summary>
    public SafeFd? KeepFd { get; init; }

    /// <summary>Existing namespaces the child joins with setns before exec.</summary>
    public IReadOnlyList<SafeFd> JoinNamespaces { get; init; } = [];

    /// <summary>
    /// When set, the child stops before exec until this callback (given the child's pid) has run: user
    /// namespaces need the parent to write uid_map/gid_map first. A throwing callback cancels the child.
    /// </summary>
    public Action<int>? BeforeExec { get; init; }

    /// <summary>After <see cref="BeforeExec"/> the child becomes root of its user namespace before exec.</summary>
    public bool SetRoot { get; init; }

    /// <summary>Raw syscalls the child makes after the go-ahead and before exec (see <see cref="SpawnOps"/>).</summary>
    public IReadOnlyList<SpawnOp> Operations { get; init; } = [];

    /// <summary>A cgroup v2 directory fd to start the child in (clone3 CLONE_INTO_CGROUP).</summary>
    public SafeFd? CgroupFd { get; init; }
}
