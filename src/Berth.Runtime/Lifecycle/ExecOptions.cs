using Berth.Runtime.Spec;

namespace Berth.Runtime.Lifecycle;

/// <summary>What <c>exec</c> starts in a running container and how the caller stays attached.</summary>
public sealed record ExecOptions
{
    /// <summary>
    /// The process to start, given the container's own configured process (runc builds exec's process from
    /// it and the command-line flags; a --process file simply replaces it).
    /// </summary>
    public required Func<SpecProcess, SpecProcess> Process { get; init; }

    public bool Detach { get; init; }

    public string? PidFile { get; init; }

    public string? ConsoleSocket { get; init; }

    /// <summary>The process's stdio when it has no terminal; the caller's own 0, 1, 2 when null.</summary>
    public ProcessStdio? Stdio { get; init; }
}
