namespace Berth.Daemon.Backends;

/// <summary>Stop/restart: the signal (container's StopSignal if null) and the grace period (its StopTimeout if null; -1 waits forever).</summary>
internal sealed record StopOptions(string? Signal, int? TimeoutSeconds);
