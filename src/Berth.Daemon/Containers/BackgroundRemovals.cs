using System.Collections.Concurrent;

namespace Berth.Daemon.Containers;

/// <summary>
/// The file side of container removals still running after the container is gone for clients: its record, rootfs
/// snapshot and directories are deleted (with their fsyncs) after the removal is reported. Whatever needs those
/// files gone first, such as the image garbage collector, which cannot remove a layer with a container's snapshot
/// on it, waits for <see cref="SettledAsync"/>; so does shutdown.
/// </summary>
internal sealed class BackgroundRemovals
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public void Track(Task removal)
    {
        ArgumentNullException.ThrowIfNull(removal);
        _running.TryAdd(removal, 0);
        _ = removal.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every removal started so far has finished, failed ones included (they log their own error).</summary>
    public async Task SettledAsync()
    {
        await Task.WhenAll(_running.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
