namespace Berth.Runtime.Shim;

/// <summary>Which streams an attach carries (Docker's attach stdin/stdout/stderr, StdinOnce).</summary>
public sealed record ShimAttachOptions
{
    /// <summary>An exec'd process; null for the container's own.</summary>
    public string? ExecId { get; init; }

    public bool Stdin { get; init; }

    public bool Stdout { get; init; } = true;

    public bool Stderr { get; init; } = true;

    /// <summary>When this client's input ends (<see cref="ShimStream.CompleteWrites"/>), close the process's stdin.</summary>
    public bool CloseStdinOnEof { get; init; }
}
