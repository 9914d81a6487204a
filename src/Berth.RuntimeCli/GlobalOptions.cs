using System.CommandLine;

namespace Berth.RuntimeCli;

/// <summary>runc's global flags, accepted before (or after) the command.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Root { get; } = new("--root")
    {
        Description = "root directory for storage of container state (this should be located in tmpfs)",
        DefaultValueFactory = _ => Berth.Runtime.State.StateStore.DefaultRoot,
        Recursive = true,
    };

    public Option<string?> Log { get; } = new("--log") { Description = "set the log file to write runtime logs to", Recursive = true };

    public Option<string> LogFormat { get; } = new("--log-format")
    {
        Description = "set the log format ('text' (default), or 'json')",
        DefaultValueFactory = _ => "text",
        Recursive = true,
    };

    public Option<bool> Debug { get; } = new("--debug") { Description = "enable debug logging", Recursive = true };

    public Option<bool> SystemdCgroup { get; } = new("--systemd-cgroup")
    {
        Description = "accepted for compatibility; cgroups are managed through cgroupfs",
        Recursive = true,
    };

    public Option<string?> Criu { get; } = new("--criu") { Description = "accepted for compatibility (no checkpointing)", Recursive = true, Hidden = true };

    public Option<string?> Rootless { get; } = new("--rootless") { Description = "accepted for compatibility", Recursive = true, Hidden = true };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Root);
        root.Options.Add(Log);
        root.Options.Add(LogFormat);
        root.Options.Add(Debug);
        root.Options.Add(SystemdCgroup);
        root.Options.Add(Criu);
        root.Options.Add(Rootless);
    }
}
