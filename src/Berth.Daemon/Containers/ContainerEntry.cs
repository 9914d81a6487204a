using Berth.Api.Containers;
using Berth.Runtime.Shim;

namespace Berth.Daemon.Containers;

/// <summary>A container while berthd runs: its record, the lock that orders its state changes, its shim and the
/// promises waiters and attachers hold on it.</summary>
internal sealed class ContainerEntry(ContainerRecord record)
{
    public ContainerRecord Record { get; } = record;

    /// <summary>Held for every state transition and record write; never across a wait for the process to exit.</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);

    public ShimClient? Shim { get; set; }

    /// <summary>Completed (and replaced) each time the container's process exits and its state is recorded.</summary>
    public TaskCompletionSource<ContainerWaitResponse> NextExit { get; set; } = NewExit();

    public TaskCompletionSource Removed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Attachers that arrived before start: connected between the shim's create and start so they see
    /// the first byte of output.</summary>
    public List<PendingAttach> PendingAttaches { get; } = [];

    /// <summary>Cancels a scheduled restart (stop, rm, daemon shutdown).</summary>
    public CancellationTokenSource? RestartDelay { get; set; }

    public bool IsRunning => Record.State.Running;

    public static TaskCompletionSource<ContainerWaitResponse> NewExit() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
