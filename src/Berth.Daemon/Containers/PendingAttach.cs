using Berth.Daemon.Backends;

namespace Berth.Daemon.Containers;

/// <summary>An attach waiting for its container to start; <see cref="Connected"/> carries the pump that serves it.</summary>
internal sealed record PendingAttach(AttachOptions Options, AttachStreams Streams, CancellationToken CancellationToken)
{
    public TaskCompletionSource<Task> Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
