namespace Berth.Runtime.Init;

/// <summary>What the runtime sends its init over the sync socket; receiving it is also the go-ahead.</summary>
public sealed class InitRequest
{
    public string ContainerId { get; set; } = "";

    /// <summary>The init's pid as the runtime sees it, for the state hooks receive.</summary>
    public int Pid { get; set; }

    /// <summary>The bundle directory: relative bind-mount sources are resolved against it.</summary>
    public string Bundle { get; set; } = "";

    /// <summary>Absolute host path of the root filesystem.</summary>
    public string Rootfs { get; set; } = "";

    /// <summary>config.json exactly as the runtime read and validated it.</summary>
    public string SpecJson { get; set; } = "";

    /// <summary>linux.seccomp compiled by the runtime (the init only installs it).</summary>
    public ProcessSetup.SeccompFilter? Seccomp { get; set; }
}
