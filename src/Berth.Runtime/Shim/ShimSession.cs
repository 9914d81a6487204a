using Berth.Linux;

namespace Berth.Runtime.Shim;

/// <summary>One process the shim is the parent of (the container's init, or an exec'd process) and everything it owns.</summary>
internal sealed class ShimSession(string? execId, int pid, SafeFd pidFd, bool tty) : IDisposable
{
    public string? ExecId { get; } = execId;

    public int Pid { get; } = pid;

    public SafeFd PidFd { get; } = pidFd;

    public bool Tty { get; } = tty;

    /// <summary>The pty master (tty only): output, stdin and resize all go through it.</summary>
    public SafeFd? Console { get; init; }

    /// <summary>Where stdin bytes go: the write end of the stdin pipe, or the pty master. Null once closed or never opened.</summary>
    public SafeFd? Stdin { get; set; }

    /// <summary>Readable fds and the stream each one is (the pty master counts as stdout).</summary>
    public List<(SafeFd Fd, byte Stream)> Outputs { get; } = [];

    public LogLineAssembler? StdoutLog { get; init; }

    public LogLineAssembler? StderrLog { get; init; }

    public string Status { get; set; } = ShimState.Created;

    /// <summary>Set by the reaper (exit code, 128 + signal); the session then drains and finishes.</summary>
    public int? ExitCode { get; set; }

    public bool Finished { get; set; }

    public bool OomKilled { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<ShimConnection> Attached { get; } = [];

    public List<ShimConnection> Waiters { get; } = [];

    public ShimState ToState(string id, int shimPid) => new()
    {
        Id = id,
        ExecId = ExecId,
        Pid = Pid,
        Status = Status,
        ExitCode = Finished ? ExitCode : null,
        OomKilled = OomKilled,
        Tty = Tty,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        ShimPid = shimPid,
    };

    public void CloseStdin()
    {
        if (Stdin is not null && !ReferenceEquals(Stdin, Console))
        {
            Stdin.Dispose();
        }

        Stdin = null;
    }

    public void Dispose()
    {
        CloseStdin();
        foreach ((SafeFd fd, _) in Outputs.Where(o => !ReferenceEquals(o.Fd, Console)))
        {
            fd.Dispose();
        }

        Outputs.Clear();
        Console?.Dispose();
        PidFd.Dispose();
    }
}
