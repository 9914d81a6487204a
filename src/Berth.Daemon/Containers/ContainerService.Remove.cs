using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Daemon.Backends;
using Berth.Daemon.Http;
using Berth.Linux;

namespace Berth.Daemon.Containers;

internal sealed partial class ContainerService
{
    public async Task RemoveAsync(string name, RemoveOptions options, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        await RemoveEntryAsync(entry, options.Force, cancellationToken);
    }

    private async Task RemoveEntryAsync(ContainerEntry entry, bool force, CancellationToken cancellationToken)
    {
        entry.RestartDelay?.Cancel();
        Task<ContainerWaitResponse>? exited = null;
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            if (entry.Record.State.Status == ContainerStatuses.Removing && !force)
                throw Errors.Conflict($"removal of container {entry.Record.Id} is already in progress");
            if (entry.IsRunning)
            {
                if (!force)
                {
                    throw Errors.Conflict(entry.Record.State.Paused
                        ? $"cannot remove container \"/{entry.Record.Name}\": container is paused and must be unpaused first"
                        : $"cannot remove container \"/{entry.Record.Name}\": container is running: stop the container before removing or force remove");
                }
                entry.Record.ManuallyStopped = true;
                exited = entry.NextExit.Task;
                if (entry.Record.State.Paused)
                    await IgnoreFailureAsync(() => ResumeProcessesAsync(entry, CancellationToken.None));
                if (entry.Shim is { } shim)
                    await IgnoreFailureAsync(() => shim.KillAsync(Signals.SIGKILL, all: true, cancellationToken: CancellationToken.None));
            }
        }
        finally
        {
            entry.Lock.Release();
        }
        if (exited is not null)
            await exited.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        await entry.Lock.WaitAsync(CancellationToken.None);
        try
        {
            if (!_containers.ContainsKey(entry.Record.Id))
                return;
            entry.Record.State = entry.Record.State with { Status = ContainerStatuses.Removing };
            string id = entry.Record.Id;
            if (entry.Shim is { } shim)
            {
                await IgnoreFailureAsync(() => shim.DeleteAsync(force: true, CancellationToken.None));
                entry.Shim = null;
            }
            _mounter.Unmount(_paths.Rootfs(id));
            _containers.TryRemove(id, out _);
            // Nothing runs or is mounted any more and no client can reach the container: its files go after the
            // reply (a `run --rm` waits for this removal), the record first, so that a crash in between leaves
            // unreferenced files rather than a container without its layer.
            _removals.Track(Task.Run(() => RemoveFilesAsync(id), CancellationToken.None));
            Publish(entry, "destroy");
            entry.Removed.TrySetResult();
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    private async Task RemoveFilesAsync(string id)
    {
        try
        {
            await _records.DeleteAsync(id, CancellationToken.None);
            // Layer and directories are independent of each other: their deletes and fsyncs overlap.
            await Task.WhenAll(
                Task.Run(() => RemoveSnapshotAsync(id), CancellationToken.None),
                Task.Run(() =>
                {
                    TryDeleteDirectory(_paths.RunDirectory(id));
                    ParkDataDirectory(id);
                }, CancellationToken.None));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BerthException or LinuxException)
        {
            _log.LogWarning("removing the files of container {Id}: {Error}", id[..12], e.Message);
        }
    }

    /// <summary>The data directory goes back to the pool for the next container; deleted when that cannot be done.</summary>
    private void ParkDataDirectory(string id)
    {
        string directory = _paths.DataDirectory(id);
        try
        {
            _dataDirectories.Park(directory, id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("could not keep the directory of container {Id} for reuse, deleting it: {Error}", id[..12], e.Message);
            TryDeleteDirectory(directory);
        }
    }

    private async Task RemoveSnapshotAsync(string id)
    {
        if (await _snapshots.StatAsync(id, CancellationToken.None) is not null)
            await _snapshots.RemoveAsync(id, CancellationToken.None);
    }

    public async Task RenameAsync(string name, string newName, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        string bare = ContainerNames.Validate(newName);
        await _namesLock.WaitAsync(cancellationToken);
        try
        {
            if (OwnerOfName(bare) is { } owner)
            {
                throw owner == entry.Record.Id
                    ? Errors.InvalidArgument("Renaming a container with the same name as its current name")
                    : Errors.Conflict($"Conflict. The container name \"/{bare}\" is already in use by container \"{owner}\". You have to remove (or rename) that container to be able to reuse that name.");
            }
            await entry.Lock.WaitAsync(cancellationToken);
            try
            {
                string old = entry.Record.Name;
                entry.Record.Name = bare;
                await SaveAsync(entry);
                Publish(entry, "rename", new Dictionary<string, string>(StringComparer.Ordinal) { ["oldName"] = "/" + old });
            }
            finally
            {
                entry.Lock.Release();
            }
        }
        finally
        {
            _namesLock.Release();
        }
    }

    public async Task<ContainerPruneResponse> PruneAsync(FilterSet filters, CancellationToken cancellationToken)
    {
        List<string> deleted = [];
        long reclaimed = 0;
        foreach (ContainerEntry entry in _containers.Values.ToList())
        {
            ContainerRecord record = entry.Record;
            if (entry.IsRunning || record.State.Restarting || !MatchesPruneFilters(record, filters))
                continue;
            long size = (await _snapshots.StatAsync(record.Id, cancellationToken)) is null ? 0 : (await _snapshots.UsageAsync(record.Id, cancellationToken)).Size;
            await RemoveEntryAsync(entry, force: false, cancellationToken);
            deleted.Add(record.Id);
            reclaimed += size;
        }
        _events.Publish("container", "prune", "", new Dictionary<string, string>(StringComparer.Ordinal) { ["reclaimed"] = reclaimed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new ContainerPruneResponse { ContainersDeleted = deleted, SpaceReclaimed = reclaimed };
    }

    private static bool MatchesPruneFilters(ContainerRecord record, FilterSet filters) =>
        ContainerFilters.MatchLabels(record, filters) && ContainerFilters.MatchUntil(record, filters);
}
