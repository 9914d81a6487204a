using Berth.Core.Mounts;
using Berth.Core.Snapshots;

namespace Berth.Daemon.Tests.Containers;

/// <summary>A real snapshotter that counts the snapshots prepared through it.</summary>
internal sealed class CountingSnapshotter(ISnapshotter inner) : ISnapshotter
{
    public int Prepared { get; private set; }

    public Task<IReadOnlyList<Mount>> PrepareAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        Prepared++;
        return inner.PrepareAsync(key, parent, labels, cancellationToken);
    }

    public Task<IReadOnlyList<Mount>> ViewAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default) =>
        inner.ViewAsync(key, parent, labels, cancellationToken);

    public Task<IReadOnlyList<Mount>> MountsAsync(string key, CancellationToken cancellationToken = default) => inner.MountsAsync(key, cancellationToken);

    public Task CommitAsync(string name, string key, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default) =>
        inner.CommitAsync(name, key, labels, cancellationToken);

    public Task RemoveAsync(string key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

    public Task<SnapshotInfo?> StatAsync(string key, CancellationToken cancellationToken = default) => inner.StatAsync(key, cancellationToken);

    public IAsyncEnumerable<SnapshotInfo> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    public Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken = default) => inner.UsageAsync(key, cancellationToken);
}
