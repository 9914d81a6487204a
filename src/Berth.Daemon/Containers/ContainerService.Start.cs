using System.Text.Json;
using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Runtime.Containers;
using Berth.Runtime.Shim;
using Berth.Runtime.Spec;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Containers;

internal sealed partial class ContainerService
{
    private static readonly TimeSpan RestartBackoffStart = TimeSpan.FromMilliseconds(100), RestartBackoffMax = TimeSpan.FromMinutes(1);

    public async Task StartAsync(string name, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            if (entry.Record.State.Paused)
                throw Errors.Conflict("cannot start a paused container, try unpause instead");
            if (entry.IsRunning)
                throw new BerthException(ErrorKind.NotModified, "container already started");
            if (entry.Record.State.Status == ContainerStatuses.Removing)
                throw Errors.Conflict($"container is marked for removal and cannot be started");
            entry.Record.ManuallyStopped = false;
            entry.RestartDelay?.Cancel();
            await StartLockedAsync(entry, cancellationToken);
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    /// <summary>Mount → config.json → shim (creates the container) → pending attaches → start. Any failure takes down
    /// what was made and leaves the container in "created" with the error recorded, as Docker does.</summary>
    private async Task StartLockedAsync(ContainerEntry entry, CancellationToken cancellationToken)
    {
        ContainerRecord record = entry.Record;
        string rootfs = _paths.Rootfs(record.Id), runDir = _paths.RunDirectory(record.Id);
        ShimClient? shim = null;
        try
        {
            IReadOnlyList<Mount> mounts = await _snapshots.MountsAsync(record.Id, cancellationToken);
            _mounter.Mount(mounts, rootfs, volatileUpper: record.HostConfig.AutoRemove);
            RuntimeSpec spec = ContainerSpecBuilder.Build(ContainerSpecOptionsFactory.Create(record, rootfs, _settings), _syscalls.ReadLink);
            File.WriteAllBytes(Path.Combine(runDir, "config.json"), JsonSerializer.SerializeToUtf8Bytes(spec, SpecJsonContext.Compact.RuntimeSpec));

            string shimDir = _paths.ShimDirectory(record.Id);
            if (Directory.Exists(shimDir))
                Directory.Delete(shimDir, recursive: true);
            shim = await _shimLauncher.LaunchAsync(
                new ShimOptions
                {
                    Id = record.Id,
                    Bundle = runDir,
                    StateDirectory = shimDir,
                    RuntimeRoot = _paths.RuntimeRoot,
                    SeccompCacheDirectory = _paths.SeccompCache,
                    LogPath = record.LogPath,
                    LogMaxSize = LogMaxSize(record.HostConfig),
                    LogMaxFiles = LogMaxFiles(record.HostConfig),
                    OpenStdin = record.Config.OpenStdin,
                    Terminal = record.Config.Tty,
                }, cancellationToken);
            entry.Shim = shim;
            await ConnectPendingAttachesAsync(entry, shim, cancellationToken);
            ShimState state = await shim.StartAsync(cancellationToken);
            record.State = record.State with
            {
                Status = ContainerStatuses.Running,
                Running = true,
                Paused = false,
                Restarting = false,
                OOMKilled = false,
                Dead = false,
                Pid = state.Pid,
                ExitCode = 0,
                Error = "",
                StartedAt = state.StartedAt ?? DateTimeOffset.UtcNow,
            };
            // A first start is what makes "always"/"unless-stopped" restart the container after a reboot: that one is kept durably.
            bool restartsAtBoot = !record.HasBeenStarted && record.HostConfig.RestartPolicy?.Name is "always" or "unless-stopped";
            record.HasBeenStarted = true;
            await (restartsAtBoot ? SaveAsync(entry) : SaveStateAsync(entry));
            Publish(entry, "start");
            Monitor(entry, shim);
        }
        catch (Exception e)
        {
            string message = e.Message;
            if (shim is not null)
            {
                await IgnoreFailureAsync(() => shim.DeleteAsync(force: true, CancellationToken.None));
                entry.Shim = null;
            }
            FailPendingAttaches(entry, e);
            IgnoreFailure(() => _mounter.Unmount(rootfs));
            record.State = record.State with
            {
                Status = record.HasBeenStarted ? ContainerStatuses.Exited : ContainerStatuses.Created,
                Running = false,
                Restarting = false,
                Pid = 0,
                Error = message,
                ExitCode = ExitCodeFor(message),
            };
            await SaveStateAsync(entry);
            if (record.HostConfig.AutoRemove)
                _ = Task.Run(() => IgnoreFailureAsync(() => RemoveEntryAsync(entry, force: true, CancellationToken.None)), CancellationToken.None);
            // Docker answers a command that cannot run with 400 and the runtime's words (its CLI maps them to 126/127).
            throw record.State.ExitCode is 126 or 127
                ? new BerthException(ErrorKind.InvalidArgument, $"failed to create task for container: {message}", e)
                : BerthException.KindOf(e) == ErrorKind.Internal && e is not BerthException
                    ? Errors.Internal($"failed to create task for container: {message}", e)
                    : e;
        }
    }

    /// <summary>Docker's exit codes for a process that never ran: 127 when the command is not found, 126 when it
    /// cannot be executed.</summary>
    private static int ExitCodeFor(string message) =>
        message.Contains("not found", StringComparison.OrdinalIgnoreCase) || message.Contains("no such file", StringComparison.OrdinalIgnoreCase) ? 127
        : message.Contains("permission denied", StringComparison.OrdinalIgnoreCase) || message.Contains("is a directory", StringComparison.OrdinalIgnoreCase) ? 126
        : 128;

    private static long LogMaxSize(HostConfig host) =>
        host.LogConfig?.Config is { } config && config.TryGetValue("max-size", out string? size) ? ParseSize(size) : ShimOptions.DefaultLogMaxSize;

    private static int LogMaxFiles(HostConfig host) =>
        host.LogConfig?.Config is { } config && config.TryGetValue("max-file", out string? files) && int.TryParse(files, out int n) && n > 0 ? n : ShimOptions.DefaultLogMaxFiles;

    /// <summary>go-units RAMInBytes-ish: "10m", "1g", "512k", plain bytes.</summary>
    private static long ParseSize(string text)
    {
        string t = text.Trim().ToLowerInvariant().TrimEnd('b');
        long multiplier = t.Length > 0 ? t[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 1 } : 1;
        string digits = multiplier == 1 ? t : t[..^1];
        return long.TryParse(digits, out long value) && value > 0
            ? value * multiplier
            : throw Errors.InvalidArgument($"invalid log-opt max-size: {text}");
    }

    private void Monitor(ContainerEntry entry, ShimClient shim)
    {
        CancellationToken shutdown = _shutdown.Token;
        _ = Task.Run(async () =>
        {
            ShimState state;
            try
            {
                state = await shim.WaitAsync(cancellationToken: shutdown);
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning("lost the shim of container {Id}: {Error}", entry.Record.Id[..12], e.Message);
                state = ShimClient.ReadExitFile(_paths.ShimDirectory(entry.Record.Id)) ?? new ShimState { Status = ShimState.Stopped, ExitCode = 255 };
            }
            await OnExitedAsync(entry, state);
        }, CancellationToken.None);
    }

    /// <summary>Records an exit, frees what the run held (shim, rootfs mount), tells waiters, then applies --rm or
    /// the restart policy.</summary>
    private async Task OnExitedAsync(ContainerEntry entry, ShimState state)
    {
        await entry.Lock.WaitAsync(CancellationToken.None);
        try
        {
            // The shim's delete (cgroups, runtime state) and the rootfs unmount are independent: do them side by side.
            Task shimDeleted = entry.Shim is { } shim ? IgnoreFailureAsync(() => shim.DeleteAsync(force: true, CancellationToken.None)) : Task.CompletedTask;
            IgnoreFailure(() => _mounter.Unmount(_paths.Rootfs(entry.Record.Id)));
            await shimDeleted;
            entry.Shim = null;
            await RecordExitLockedAsync(entry, state, null);
        }
        finally
        {
            entry.Lock.Release();
        }
        await AfterExitAsync(entry);
    }

    private async Task RecordExitAsync(ContainerEntry entry, ShimState? state, string? error)
    {
        await entry.Lock.WaitAsync(CancellationToken.None);
        try
        {
            IgnoreFailure(() => _mounter.Unmount(_paths.Rootfs(entry.Record.Id)));
            await RecordExitLockedAsync(entry, state, error);
        }
        finally
        {
            entry.Lock.Release();
        }
        await AfterExitAsync(entry);
    }

    private async Task RecordExitLockedAsync(ContainerEntry entry, ShimState? state, string? error)
    {
        int exitCode = state?.ExitCode ?? 255;
        bool oom = state?.OomKilled ?? false;
        entry.Record.State = entry.Record.State with
        {
            Status = ContainerStatuses.Exited,
            Running = false,
            Paused = false,
            Restarting = false,
            Pid = 0,
            ExitCode = exitCode,
            OOMKilled = oom,
            Error = error ?? "",
            FinishedAt = state?.FinishedAt ?? DateTimeOffset.UtcNow,
        };
        // A --rm container's record is deleted next (AfterExitAsync), unless the daemon is stopping; a crash in between
        // leaves the running state on disk, which a restart turns into an exit and a removal anyway.
        if (!entry.Record.HostConfig.AutoRemove || _shutdown.IsCancellationRequested)
            await SaveStateAsync(entry);
        if (oom)
            Publish(entry, "oom");
        Publish(entry, "die", new Dictionary<string, string>(StringComparer.Ordinal) { ["exitCode"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        TaskCompletionSource<ContainerWaitResponse> exited = entry.NextExit;
        entry.NextExit = ContainerEntry.NewExit();
        exited.TrySetResult(new ContainerWaitResponse { StatusCode = exitCode });
    }

    private async Task AfterExitAsync(ContainerEntry entry)
    {
        if (_shutdown.IsCancellationRequested)
            return;
        ContainerRecord record = entry.Record;
        if (record.HostConfig.AutoRemove)
        {
            await IgnoreFailureAsync(() => RemoveEntryAsync(entry, force: true, CancellationToken.None));
            return;
        }
        if (ShouldRestart(record))
        {
            TimeSpan ran = record.State.FinishedAt - record.State.StartedAt;
            // Docker's backoff: 100 ms doubling per quick failure, reset once a run lasted 10 s.
            TimeSpan delay = ran > TimeSpan.FromSeconds(10) ? RestartBackoffStart
                : TimeSpan.FromTicks(Math.Min(RestartBackoffMax.Ticks, RestartBackoffStart.Ticks << Math.Min(record.RestartCount, 20)));
            ScheduleRestart(entry, delay);
        }
    }

    private static bool ShouldRestart(ContainerRecord record)
    {
        RestartPolicy? policy = record.HostConfig.RestartPolicy;
        return policy?.Name switch
        {
            "always" => !record.ManuallyStopped,
            "unless-stopped" => !record.ManuallyStopped,
            "on-failure" => !record.ManuallyStopped && record.State.ExitCode != 0
                && (policy.MaximumRetryCount == 0 || record.RestartCount < policy.MaximumRetryCount),
            _ => false,
        };
    }

    private void ScheduleRestart(ContainerEntry entry, TimeSpan delay)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        entry.RestartDelay = cancel;
        entry.Record.State = entry.Record.State with { Status = ContainerStatuses.Restarting, Restarting = true };
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, cancel.Token);
                await entry.Lock.WaitAsync(cancel.Token);
                try
                {
                    if (entry.IsRunning || entry.Record.ManuallyStopped || entry.Record.State.Status == ContainerStatuses.Removing)
                        return;
                    entry.Record.RestartCount++;
                    Publish(entry, "restart");
                    await StartLockedAsync(entry, cancel.Token);
                }
                finally
                {
                    entry.Lock.Release();
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped, removed or shutting down while waiting.
            }
            catch (Exception e)
            {
                _log.LogWarning("restarting container {Id} failed: {Error}", entry.Record.Id[..12], e.Message);
                if (ShouldRestart(entry.Record))
                    ScheduleRestart(entry, RestartBackoffMax);
            }
        }, CancellationToken.None);
    }

    /// <summary>Opens each waiting attacher's stream before the process starts, so none misses its first output.</summary>
    private static async Task ConnectPendingAttachesAsync(ContainerEntry entry, ShimClient shim, CancellationToken cancellationToken)
    {
        foreach (PendingAttach pending in entry.PendingAttaches)
        {
            if (pending.CancellationToken.IsCancellationRequested)
            {
                pending.Connected.TrySetCanceled(pending.CancellationToken);
                continue;
            }
            ShimStream stream = await shim.AttachAsync(AttachOptionsFor(entry, pending.Options), cancellationToken);
            if (!pending.Connected.TrySetResult(stream))
                await stream.DisposeAsync();
        }
        entry.PendingAttaches.Clear();
    }

    private static void FailPendingAttaches(ContainerEntry entry, Exception error)
    {
        foreach (PendingAttach pending in entry.PendingAttaches)
            pending.Connected.TrySetException(error);
        entry.PendingAttaches.Clear();
    }

    private static void IgnoreFailure(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is BerthException or IOException or UnauthorizedAccessException or Linux.LinuxException)
        {
            // Cleanup on a path that is already failing or finishing: the first error is the one to report.
        }
    }

    private static async Task IgnoreFailureAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is BerthException or IOException or System.Net.Sockets.SocketException or OperationCanceledException or Linux.LinuxException)
        {
            // As above.
        }
    }
}
