namespace Berth.Runtime.State;

/// <summary>What <c>--root/&lt;id&gt;/state.json</c> keeps between runtime invocations.</summary>
public sealed class ContainerState
{
    public string Id { get; set; } = "";

    public int Pid { get; set; }

    /// <summary>/proc/PID/stat start time of the init, so a recycled pid is never mistaken for it.</summary>
    public ulong StartTime { get; set; }

    public string Bundle { get; set; } = "";

    public string Rootfs { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    /// <summary>The container's path below each cgroup hierarchy root.</summary>
    public string CgroupPath { get; set; } = "";

    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>
    /// What exec needs from the config as it was at create (runc keeps its config in its state too): the
    /// configured process, the namespace types, and the compiled seccomp filter, so an exec parses no config.json
    /// and compiles no profile.
    /// </summary>
    public Spec.SpecProcess? Process { get; set; }

    public List<string>? NamespaceTypes { get; set; }

    public Init.ProcessSetup.SeccompFilter? Seccomp { get; set; }

    /// <summary>The bundle's hooks as they were at create; start and delete run poststart and poststop from here.</summary>
    public Spec.SpecHooks? Hooks { get; set; }
}
