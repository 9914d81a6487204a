namespace Berth.Linux.Spawn;

/// <summary>A started child: its pid and a pidfd that cannot be confused with a recycled pid.</summary>
public sealed class SpawnedProcess(int pid, SafeFd pidFd) : IDisposable
{
    public int Pid { get; } = pid;

    public SafeFd PidFd { get; } = pidFd;

    public void Dispose() => PidFd.Dispose();
}
