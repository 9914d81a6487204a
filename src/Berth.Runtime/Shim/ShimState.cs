namespace Berth.Runtime.Shim;

/// <summary>What the shim knows of the container's process (or an exec'd one): the truth after a daemon restart.</summary>
public sealed class ShimState
{
    public const string Created = "created", Running = "running", Stopped = "stopped";

    public string Id { get; set; } = "";

    /// <summary>Null for the container's own process.</summary>
    public string? ExecId { get; set; }

    public int Pid { get; set; }

    /// <summary>created, running or stopped.</summary>
    public string Status { get; set; } = Created;

    /// <summary>Set once stopped: the exit code, 128 + signal when killed by one.</summary>
    public int? ExitCode { get; set; }

    public bool OomKilled { get; set; }

    public bool Tty { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The shim's own pid (0 when read from exit.json after the shim has gone).</summary>
    public int ShimPid { get; set; }
}
