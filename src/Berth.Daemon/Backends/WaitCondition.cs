namespace Berth.Daemon.Backends;

/// <summary>What <c>wait</c> waits for: <c>not-running</c> (default), <c>next-exit</c>, <c>removed</c>.</summary>
internal enum WaitCondition
{
    NotRunning,
    NextExit,
    Removed,
}
