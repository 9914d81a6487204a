using Berth.Linux;
using Berth.Linux.Spawn;

namespace Berth.Runtime.Lifecycle;

/// <summary>A container init or exec'd process, with its pty master when the caller bridges the terminal itself.</summary>
public sealed class StartedProcess(SpawnedProcess process, SafeFd? console) : IDisposable
{
    public SpawnedProcess Process { get; } = process;

    public SafeFd? Console { get; } = console;

    public void Dispose()
    {
        Process.Dispose();
        Console?.Dispose();
    }
}
