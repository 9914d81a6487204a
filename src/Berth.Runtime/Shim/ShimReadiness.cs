using Berth.Core.Errors;

namespace Berth.Runtime.Shim;

/// <summary>The one line a shim writes on its stdout to its launcher: ready (with pids) or why it failed.</summary>
internal sealed class ShimReadiness
{
    public bool Ready { get; set; }

    public int ShimPid { get; set; }

    public int Pid { get; set; }

    public ErrorKind? ErrorKind { get; set; }

    public string? Error { get; set; }
}
