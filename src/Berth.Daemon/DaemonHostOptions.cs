namespace Berth.Daemon;

/// <summary>How a <see cref="DaemonHost"/> runs: as the berthd process (signals, pid file) or inside a test.</summary>
internal sealed record DaemonHostOptions
{
    /// <summary>Stop on SIGTERM/SIGINT (berthd); tests leave signals alone.</summary>
    public bool HandleSignals { get; init; }

    public bool WritePidFile { get; init; }

    /// <summary>How long shutdown waits for handlers after cancelling streams before aborting connections.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Replaces the stderr console logger (tests route logs to their output).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string ProcRoot { get; init; } = "/proc";
}
