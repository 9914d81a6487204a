namespace Berth.Runtime.Lifecycle;

/// <summary>How <c>create</c> (and <c>run</c>) hands the container over.</summary>
public sealed record CreateOptions
{
    public string? PidFile { get; init; }

    /// <summary>An AF_UNIX socket that receives the pty master (process.terminal), as runc's --console-socket.</summary>
    public string? ConsoleSocket { get; init; }

    /// <summary>The caller stays attached (run without --detach): a terminal's master is returned to bridge.</summary>
    public bool Foreground { get; init; }

    /// <summary>The init's stdio (passed on to the container's process); the caller's own 0, 1, 2 when null.</summary>
    public ProcessStdio? Stdio { get; init; }
}
