namespace Berth.Daemon.Hosting;

/// <summary>A host lifetime that leaves process signals alone: in-process servers (tests) are stopped by their owner.</summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
