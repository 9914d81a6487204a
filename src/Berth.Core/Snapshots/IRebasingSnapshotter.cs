using Berth.Core.Mounts;

namespace Berth.Core.Snapshots;

/// <summary>
/// A snapshotter whose layers stay independent directories until they are used (overlay): an active snapshot prepared
/// without a parent can be put on one later, so the layers of an image can be unpacked in parallel and only their
/// commits follow the chain (containerd's "rebase" capability).
/// </summary>
public interface IRebasingSnapshotter : ISnapshotter
{
    /// <summary>
    /// Puts active snapshot <paramref name="key"/>, prepared without a parent, on the committed snapshot
    /// <paramref name="parent"/> and returns its mounts as <see cref="ISnapshotter.PrepareAsync"/> on that parent would
    /// have. What was written into it stays. Errors: NotFound (key or parent), FailedPrecondition (the key is not an
    /// active snapshot without parent, or the chain is too long to mount), InvalidArgument (the parent is not committed).
    /// </summary>
    Task<IReadOnlyList<Mount>> RebaseAsync(string key, string parent, CancellationToken cancellationToken = default);
}
