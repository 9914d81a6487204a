using System.Globalization;
using System.Runtime.CompilerServices;
using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Core.Snapshots;
using Berth.Linux;
using Berth.Storage.Metadata;

namespace Berth.Storage.Snapshots;

/// <summary>
/// What the overlay and native snapshotters share: the layout <c>&lt;root&gt;/snapshots/&lt;id&gt;/{fs,work}</c>, the
/// metadata table (<c>&lt;root&gt;/metadata/snapshots.json</c>, one document so each change is one atomic rename) and
/// the containerd semantics of keys, names and parents. Subclasses decide how a layer directory is filled and which
/// mounts describe it.
/// </summary>
public abstract class FileSnapshotter : ISnapshotter
{
    private const string TableId = "snapshots";

    private readonly JsonDocumentStore<SnapshotTable> _metadata;
    private readonly string _tablePath;

    // Parsing the whole table was a sixth of berthd's CPU per container start; it only changes when we write it.
    private volatile CachedTable? _cached;

    private protected FileSnapshotter(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        SnapshotsDirectory = Path.Combine(Root, "snapshots");
        Directory.CreateDirectory(SnapshotsDirectory);
        _metadata = new JsonDocumentStore<SnapshotTable>(Path.Combine(Root, "metadata"), SnapshotJsonContext.Default.SnapshotTable);
        _tablePath = _metadata.FileOf(TableId);
    }

    public string Root { get; }

    /// <summary><c>&lt;root&gt;/snapshots</c>, holding one numbered directory per snapshot.</summary>
    public string SnapshotsDirectory { get; }

    public Task<IReadOnlyList<Mount>> PrepareAsync(
        string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default) =>
        CreateAsync(key, parent, SnapshotKind.Active, labels, cancellationToken);

    public Task<IReadOnlyList<Mount>> ViewAsync(
        string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default) =>
        CreateAsync(key, parent, SnapshotKind.View, labels, cancellationToken);

    public async Task<IReadOnlyList<Mount>> MountsAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        SnapshotTable table = await ReadTableAsync(cancellationToken);
        SnapshotRecord record = Find(table, key);
        if (record.Kind == SnapshotKind.Committed)
        {
            throw Errors.FailedPrecondition($"snapshot {key}: a committed snapshot has no mounts; prepare or view on it");
        }

        return Mounts(record, Chain(table, record.Parent));
    }

    public async Task CommitAsync(
        string name, string key, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(key);
        using IDisposable held = await _metadata.LockAsync(cancellationToken);
        SnapshotTable table = await ReadTableForUpdateAsync(cancellationToken);
        SnapshotRecord record = Find(table, key);
        if (record.Kind != SnapshotKind.Active)
        {
            throw Errors.FailedPrecondition($"snapshot {key}: only an active snapshot can be committed, this one is {Describe(record.Kind)}");
        }

        if (table.Snapshots.ContainsKey(name))
        {
            throw Errors.AlreadyExists($"snapshot {name}: already exists");
        }

        table.Snapshots.Remove(key);
        record.Name = name;
        record.Kind = SnapshotKind.Committed;
        if (labels is not null)
        {
            record.Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        }

        table.Snapshots.Add(name, record);
        await WriteTableAsync(table, cancellationToken);
        OnCommitted(record);
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        SnapshotRecord record;
        using (await _metadata.LockAsync(cancellationToken))
        {
            SnapshotTable table = await ReadTableForUpdateAsync(cancellationToken);
            record = Find(table, key);
            if (table.Snapshots.Values.FirstOrDefault(s => s.Parent == key) is { } child)
            {
                throw Errors.FailedPrecondition($"snapshot {key}: cannot remove, snapshot {child.Name} is based on it");
            }

            table.Snapshots.Remove(key);
            await WriteTableAsync(table, cancellationToken);
        }

        // After the metadata: a crash here leaves an unreferenced directory, never a record without its layer.
        DeleteLayer(record.Id);
    }

    public async Task<SnapshotInfo?> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        SnapshotTable table = await ReadTableAsync(cancellationToken);
        return table.Snapshots.TryGetValue(key, out SnapshotRecord? record) ? record.ToInfo() : null;
    }

    public async IAsyncEnumerable<SnapshotInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        SnapshotTable table = await ReadTableAsync(cancellationToken);
        foreach (SnapshotRecord record in table.Snapshots.Values)
        {
            yield return record.ToInfo();
        }
    }

    public async Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        SnapshotTable table = await ReadTableAsync(cancellationToken);
        SnapshotRecord record = Find(table, key);
        return await Task.Run(() => DirectoryUsage.Measure(FsPath(record.Id), cancellationToken), cancellationToken);
    }

    /// <summary><c>&lt;root&gt;/snapshots/&lt;id&gt;</c>.</summary>
    private protected string LayerPath(long id) => Path.Combine(SnapshotsDirectory, id.ToString(CultureInfo.InvariantCulture));

    /// <summary>The layer's own tree: the overlay upper (or lower, once committed) dir; the native copy.</summary>
    private protected string FsPath(long id) => Path.Combine(LayerPath(id), "fs");

    private protected string WorkPath(long id) => Path.Combine(LayerPath(id), "work");

    /// <summary>Creates the layer directory of a new snapshot; <paramref name="parents"/> is newest first.</summary>
    private protected abstract void CreateLayer(SnapshotRecord record, IReadOnlyList<SnapshotRecord> parents, CancellationToken cancellationToken);

    /// <summary>The mounts of an active snapshot or view; <paramref name="parents"/> is newest first.</summary>
    private protected abstract IReadOnlyList<Mount> Mounts(SnapshotRecord record, IReadOnlyList<SnapshotRecord> parents);

    /// <summary>After a commit: a layer that will only be read from now on may drop what only writing needed.</summary>
    private protected virtual void OnCommitted(SnapshotRecord record)
    {
    }

    private async Task<IReadOnlyList<Mount>> CreateAsync(
        string key, string? parent, SnapshotKind kind, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        using IDisposable held = await _metadata.LockAsync(cancellationToken);
        SnapshotTable table = await ReadTableForUpdateAsync(cancellationToken);
        if (table.Snapshots.ContainsKey(key))
        {
            throw Errors.AlreadyExists($"snapshot {key}: already exists");
        }

        IReadOnlyList<SnapshotRecord> parents = [];
        if (parent is not null)
        {
            if (!table.Snapshots.TryGetValue(parent, out SnapshotRecord? parentRecord))
            {
                throw Errors.NotFound($"snapshot {key}: parent snapshot {parent} does not exist");
            }

            if (parentRecord.Kind != SnapshotKind.Committed)
            {
                throw Errors.InvalidArgument($"snapshot {key}: parent {parent} is {Describe(parentRecord.Kind)}, not committed");
            }

            parents = Chain(table, parent);
        }

        var record = new SnapshotRecord
        {
            Id = table.NextId,
            Name = key,
            Parent = parent,
            Kind = kind,
            Created = DateTimeOffset.UtcNow,
            Labels = labels is null ? new(StringComparer.Ordinal) : new Dictionary<string, string>(labels, StringComparer.Ordinal),
        };

        // Computed first: a chain too long for one mount call is refused before anything is made.
        IReadOnlyList<Mount> mounts = Mounts(record, parents);

        // A directory with this id can only be a leftover of a crash before its record was written.
        DeleteLayer(record.Id);
        try
        {
            Directory.CreateDirectory(LayerPath(record.Id));
            CreateLayer(record, parents, cancellationToken);
            table.NextId++;
            table.Snapshots.Add(key, record);
            await WriteTableAsync(table, cancellationToken);
        }
        catch
        {
            DeleteLayer(record.Id);
            throw;
        }

        return mounts;
    }

    /// <summary>
    /// <see cref="IRebasingSnapshotter.RebaseAsync"/> for subclasses whose layers do not depend on their parents' (the
    /// layer directory is made again by <see cref="CreateLayer"/>, which must keep what it holds).
    /// </summary>
    private protected async Task<IReadOnlyList<Mount>> RebaseCoreAsync(string key, string parent, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(parent);
        using IDisposable held = await _metadata.LockAsync(cancellationToken);
        SnapshotTable table = await ReadTableForUpdateAsync(cancellationToken);
        SnapshotRecord record = Find(table, key);
        if (record.Kind != SnapshotKind.Active || record.Parent is not null)
        {
            throw Errors.FailedPrecondition(
                $"snapshot {key}: only an active snapshot without parent can be rebased, this one is {(record.Parent is null ? Describe(record.Kind) : "based on " + record.Parent)}");
        }

        if (!table.Snapshots.TryGetValue(parent, out SnapshotRecord? parentRecord))
        {
            throw Errors.NotFound($"snapshot {key}: parent snapshot {parent} does not exist");
        }

        if (parentRecord.Kind != SnapshotKind.Committed)
        {
            throw Errors.InvalidArgument($"snapshot {key}: parent {parent} is {Describe(parentRecord.Kind)}, not committed");
        }

        List<SnapshotRecord> parents = Chain(table, parent);
        record.Parent = parent;
        IReadOnlyList<Mount> mounts;
        try
        {
            // Computed first: a chain too long for one mount call is refused before anything changes.
            mounts = Mounts(record, parents);
            CreateLayer(record, parents, cancellationToken);
            await WriteTableAsync(table, cancellationToken);
        }
        catch
        {
            record.Parent = null;
            throw;
        }

        return mounts;
    }

    /// <summary>
    /// The table as last read or written, while its file still has the inode, size and modification time it had then
    /// (every update renames a new file into place); otherwise read again. Readers share it and must not change it.
    /// </summary>
    private async Task<SnapshotTable> ReadTableAsync(CancellationToken cancellationToken)
    {
        FileStatus? stamp = FileSystemOps.TryStat(_tablePath);
        if (_cached is { } cached && cached.Stamp == stamp)
        {
            return cached.Table;
        }

        SnapshotTable table = await _metadata.GetAsync(TableId, cancellationToken) ?? new SnapshotTable();
        _cached = new CachedTable(table, stamp);
        return table;
    }

    /// <summary>A copy of the table for a change made under the metadata lock.</summary>
    private async Task<SnapshotTable> ReadTableForUpdateAsync(CancellationToken cancellationToken) =>
        (await ReadTableAsync(cancellationToken)).Clone();

    private async Task WriteTableAsync(SnapshotTable table, CancellationToken cancellationToken)
    {
        await _metadata.PutAsync(TableId, table, cancellationToken);
        _cached = new CachedTable(table, FileSystemOps.TryStat(_tablePath));
    }

    private static SnapshotRecord Find(SnapshotTable table, string key) =>
        table.Snapshots.TryGetValue(key, out SnapshotRecord? record) ? record : throw Errors.NotFound($"snapshot {key} does not exist");

    /// <summary><paramref name="name"/> and its ancestors, newest first.</summary>
    private static List<SnapshotRecord> Chain(SnapshotTable table, string? name)
    {
        var chain = new List<SnapshotRecord>();
        while (name is not null)
        {
            SnapshotRecord record = table.Snapshots.TryGetValue(name, out SnapshotRecord? found)
                ? found
                : throw Errors.Internal($"snapshot metadata is inconsistent: parent {name} is missing");
            chain.Add(record);
            name = record.Parent;
        }

        return chain;
    }

    private void DeleteLayer(long id)
    {
        string path = LayerPath(id);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static string Describe(SnapshotKind kind) => kind switch
    {
        SnapshotKind.Active => "active",
        SnapshotKind.View => "a view",
        _ => "committed",
    };
}
