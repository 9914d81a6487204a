using Berth.Daemon.Backends;
using Berth.Runtime.Shim;

namespace Berth.Daemon.Containers;

/// <summary>An attach armed before its container started: <see cref="Connected"/> gets the shim stream opened between
/// the shim's create and start, so the attacher sees the first byte of output.</summary>
internal sealed record PendingAttach(AttachOptions Options, CancellationToken CancellationToken)
{
    public TaskCompletionSource<ShimStream> Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
