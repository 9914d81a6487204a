using Berth.Runtime.Spec;

namespace Berth.Runtime.Shim;

/// <summary>One request on the shim socket. <see cref="ExecId"/> names an exec'd process; null means the container's own.</summary>
internal sealed class ShimRequest
{
    public const string Start = "start", State = "state", Kill = "kill", Wait = "wait", Attach = "attach", Resize = "resize",
        Exec = "exec", CloseStdin = "close-stdin", Delete = "delete";

    public string Op { get; set; } = "";

    public string? ExecId { get; set; }

    public int Signal { get; set; }

    public bool All { get; set; }

    public bool Force { get; set; }

    public ushort Rows { get; set; }

    public ushort Columns { get; set; }

    /// <summary>exec: the process to start (its <c>terminal</c> decides pty or pipes).</summary>
    public SpecProcess? Process { get; set; }

    /// <summary>exec: give the process a stdin pipe (otherwise /dev/null).</summary>
    public bool OpenStdin { get; set; }

    /// <summary>attach (or exec with <see cref="AttachStreams"/>): which streams this connection carries.</summary>
    public bool Stdin { get; set; }

    public bool Stdout { get; set; }

    public bool Stderr { get; set; }

    /// <summary>attach: when this client's input ends, close the process's stdin (Docker's StdinOnce).</summary>
    public bool CloseStdinOnEof { get; set; }

    /// <summary>exec: the connection becomes the process's attach stream before the process starts, so no output is missed.</summary>
    public bool AttachStreams { get; set; }
}
