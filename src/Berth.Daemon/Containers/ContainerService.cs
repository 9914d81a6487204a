using System.Collections.Concurrent;
using Berth.Api.Containers;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Snapshots;
using Berth.Daemon.Configuration;
using Berth.Daemon.Events;
using Berth.Linux;
using Berth.Runtime.Shim;
using Berth.Storage.Metadata;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Containers;

/// <summary>
/// The container service: containers as records (atomic documents), their layers as snapshots, their processes
/// behind one shim each. State changes of one container are serialized by its lock; the shim is the truth about the
/// process, so a restarted daemon reconnects and loses nothing (see <see cref="RestoreAsync"/>).
/// </summary>
internal sealed partial class ContainerService : IImageUsage, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ContainerEntry> _containers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _namesLock = new(1, 1);
    private readonly ConcurrentDictionary<string, string> _reservedNames = new(StringComparer.Ordinal); // name → id, while created
    private readonly JsonDocumentStore<ContainerRecord> _records;
    private readonly IImageStore _images;
    private readonly ISnapshotter _snapshots;
    private readonly ContainerPaths _paths;
    private readonly DaemonSettings _settings;
    private readonly EventBus _events;
    private readonly RootfsMounter _mounter;
    private readonly MountTargetLayer _mountTargets;
    private readonly DataDirectoryPool _dataDirectories;
    private readonly ISyscalls _syscalls;
    private readonly string _runtimeBinary;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _shutdown = new();

    private readonly BackgroundRemovals _removals;
    private readonly ShimLauncher _shimLauncher;

    public ContainerService(
        IImageStore images, ISnapshotter snapshots, DaemonSettings settings, EventBus events, string runtimeBinary,
        ILogger log, ISyscalls? syscalls = null, BackgroundRemovals? removals = null)
    {
        _removals = removals ?? new BackgroundRemovals();
        _shimLauncher = new ShimLauncher(runtimeBinary);
        _images = images;
        _snapshots = snapshots;
        _settings = settings;
        _events = events;
        _runtimeBinary = runtimeBinary;
        _log = log;
        _syscalls = syscalls ?? LinuxSyscalls.Instance;
        _mounter = new RootfsMounter(_syscalls);
        _mountTargets = new MountTargetLayer(snapshots, _syscalls);
        _paths = new ContainerPaths(settings.DataRoot, settings.ExecRoot);
        _records = new JsonDocumentStore<ContainerRecord>(_paths.Metadata, ContainerStoreJsonContext.Default.ContainerRecord);
        _dataDirectories = new DataDirectoryPool(_paths.DataDirectories);
    }

    public int Count => _containers.Count;

    public int CountWhere(Func<ContainerRecord, bool> predicate) => _containers.Values.Count(e => predicate(e.Record));

    public string? ContainerUsing(Digest imageId)
    {
        string id = imageId.ToString();
        return _containers.Values.FirstOrDefault(e => e.Record.ImageId == id)?.Record.Id[..12];
    }

    /// <summary>
    /// Loads every record and brings each back to the truth: a container berthd thought running asks its shim (still
    /// running: watch it again; exited meanwhile: record the real exit code); a container whose shim is gone without
    /// an exit file is marked exited with 255 and an error saying so; a stopped --rm container is removed, and a record
    /// whose create was cut short before its layer was written is dropped.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var layers = new HashSet<string>(StringComparer.Ordinal);
        await foreach (SnapshotInfo snapshot in _snapshots.ListAsync(cancellationToken))
            layers.Add(snapshot.Name);
        await foreach (KeyValuePair<string, ContainerRecord> pair in _records.ListAsync(cancellationToken))
        {
            if (!layers.Contains(pair.Key))
            {
                // A create cut short between its record and its layer (they are written side by side): it never
                // happened for any client, so it goes.
                _log.LogWarning("dropping container {Id}: its create did not finish (no rootfs layer)", pair.Key[..Math.Min(12, pair.Key.Length)]);
                await RemoveFilesAsync(pair.Key);
                continue;
            }

            var entry = new ContainerEntry(pair.Value);
            _containers[pair.Value.Id] = entry;
            string status = pair.Value.State.Status;
            if (status is ContainerStatuses.Running or ContainerStatuses.Paused or ContainerStatuses.Restarting or ContainerStatuses.Removing)
                await ReattachAsync(entry, cancellationToken);
        }
        _shimLauncher.Prime();
        // As Docker does: a --rm container found stopped (its removal cut short by a crash) is removed now.
        foreach (ContainerEntry entry in _containers.Values.Where(e => e.Record.HostConfig.AutoRemove && e.Record.HasBeenStarted && !e.IsRunning).ToList())
            await IgnoreFailureAsync(() => RemoveEntryAsync(entry, force: true, CancellationToken.None));
        foreach (ContainerEntry entry in _containers.Values.ToList())
        {
            string policy = entry.Record.HostConfig.RestartPolicy?.Name ?? "";
            if (!entry.IsRunning && entry.Record.HasBeenStarted && (policy == "always" || (policy == "unless-stopped" && !entry.Record.ManuallyStopped)))
                ScheduleRestart(entry, TimeSpan.Zero);
        }
    }

    private async Task ReattachAsync(ContainerEntry entry, CancellationToken cancellationToken)
    {
        string shimDir = _paths.ShimDirectory(entry.Record.Id);
        ShimClient shim;
        try
        {
            shim = await ShimClient.ConnectAsync(shimDir, cancellationToken);
        }
        catch (Exception e) when (e is BerthException or IOException or System.Net.Sockets.SocketException)
        {
            ShimState? exit = ShimClient.ReadExitFile(shimDir);
            await RecordExitAsync(entry, exit, exit is null ? "the container's shim was gone when berthd restarted" : null);
            return;
        }
        ShimState state = await shim.StateAsync(cancellationToken: cancellationToken);
        entry.Shim = shim;
        if (state.Status == ShimState.Stopped)
        {
            await OnExitedAsync(entry, state);
            return;
        }
        _log.LogInformation("reconnected to container {Id} (pid {Pid})", entry.Record.Id[..12], state.Pid);
        Monitor(entry, shim);
    }

    /// <summary>The container a name, full ID or unique ID prefix names; NotFound "No such container: x" otherwise.</summary>
    public ContainerEntry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string bare = name.StartsWith('/') ? name[1..] : name;
        if (bare.Length > 0)
        {
            if (_containers.TryGetValue(bare, out ContainerEntry? byId))
                return byId;
            ContainerEntry? byName = _containers.Values.FirstOrDefault(e => e.Record.Name == bare);
            if (byName is not null)
                return byName;
            List<ContainerEntry> byPrefix = _containers.Values.Where(e => e.Record.Id.StartsWith(bare, StringComparison.Ordinal)).Take(2).ToList();
            if (byPrefix.Count == 1)
                return byPrefix[0];
            if (byPrefix.Count > 1)
                throw Errors.InvalidArgument($"multiple IDs found with provided prefix: {bare}");
        }
        throw Errors.NotFound($"No such container: {name}");
    }

    private Task SaveAsync(ContainerEntry entry) => _records.PutAsync(entry.Record.Id, entry.Record, CancellationToken.None);

    /// <summary>
    /// Saves a change of run state only (started, exited): atomic but not fsynced, as Docker's state writes are
    /// not. After a crash no process is running whatever the record says, and <see cref="RestoreAsync"/> rebuilds
    /// the state from the shim or its exit file, so durability would buy nothing on the run path but fsyncs.
    /// </summary>
    private Task SaveStateAsync(ContainerEntry entry) => _records.PutAsync(entry.Record.Id, entry.Record, durable: false, CancellationToken.None);

    private void Publish(ContainerEntry entry, string action, Dictionary<string, string>? extra = null)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = entry.Record.Name,
            ["image"] = entry.Record.ImageName,
        };
        foreach (KeyValuePair<string, string> label in entry.Record.Config.Labels ?? new Dictionary<string, string>())
            attributes[label.Key] = label.Value;
        foreach (KeyValuePair<string, string> pair in extra ?? [])
            attributes[pair.Key] = pair.Value;
        _events.Publish("container", action, entry.Record.Id, attributes);
    }

    public async ValueTask DisposeAsync()
    {
        // Containers keep running under their shims; only our watchers and timers stop, once removals have settled.
        await _removals.SettledAsync();
        await _shutdown.CancelAsync();
        foreach (ContainerEntry entry in _containers.Values)
            entry.RestartDelay?.Cancel();
        _shutdown.Dispose();
        _shimLauncher.Dispose();
        _mountTargets.Dispose();
    }
}
