using Berth.Runtime.Spec;

namespace Berth.Runtime.Shim;

/// <summary>A process to start in the running container.</summary>
public sealed record ShimExecOptions
{
    /// <summary>The process, whole (args, env, cwd, user, capabilities...); <c>terminal</c> gives it a pty.</summary>
    public required SpecProcess Process { get; init; }

    /// <summary>The daemon's exec id; the shim makes one up when null.</summary>
    public string? ExecId { get; init; }

    /// <summary>Give it a stdin pipe (Docker's AttachStdin); otherwise /dev/null. A tty always has its input.</summary>
    public bool OpenStdin { get; init; }

    /// <summary>Return an attached stream (stdout, stderr, and stdin when open; stdin closes when the stream's input ends).</summary>
    public bool Attach { get; init; }
}
