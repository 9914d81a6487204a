using Berth.Core.Mounts;

namespace Berth.Core.Snapshots;

/// <summary>
/// Layered filesystems by key, containerd's model: <see cref="PrepareAsync"/> an active snapshot on a committed parent,
/// write into it, <see cref="CommitAsync"/> it under a name (an image layer's chain ID), then prepare container layers
/// on top. Mounts come back as data; the caller mounts them. Errors: NotFound for unknown keys or parents,
/// AlreadyExists for a taken key or name, FailedPrecondition for removing a snapshot that has children.
/// </summary>
public interface ISnapshotter
{
    /// <summary>Creates a writable snapshot on <paramref name="parent"/> (a committed name, or null for an empty one).</summary>
    Task<IReadOnlyList<Mount>> PrepareAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a read-only snapshot on <paramref name="parent"/>; a view cannot be committed.</summary>
    Task<IReadOnlyList<Mount>> ViewAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default);

    /// <summary>The mounts of an existing active snapshot or view.</summary>
    Task<IReadOnlyList<Mount>> MountsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Turns active snapshot <paramref name="key"/> into the immutable snapshot <paramref name="name"/>;
    /// the key is gone afterwards.</summary>
    Task CommitAsync(string name, string key, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a snapshot of any kind; refuses while another snapshot uses it as parent.</summary>
    Task RemoveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The snapshot, or null when there is none by that key or name.</summary>
    Task<SnapshotInfo?> StatAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every snapshot, in no particular order.</summary>
    IAsyncEnumerable<SnapshotInfo> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Bytes and inodes the snapshot's own layer uses (not its parents').</summary>
    Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken = default);
}
