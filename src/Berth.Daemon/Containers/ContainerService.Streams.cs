using Berth.Core.Errors;
using Berth.Daemon.Backends;
using Berth.Runtime.Shim;

namespace Berth.Daemon.Containers;

internal sealed partial class ContainerService
{
    public Task<StreamTarget> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        return Task.FromResult(new StreamTarget(entry.Record.Id, entry.Record.Config.Tty));
    }

    /// <summary>
    /// Arms the attach before the client sees the protocol switch: a running container's shim stream opens now; a
    /// container not running yet gets a pending attach, connected by the next start before the process runs (the
    /// docker CLI attaches first, then starts), so no output is missed however fast the start follows.
    /// </summary>
    public async Task AttachAsync(string id, AttachOptions options, Func<Task<AttachStreams>> connect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connect);
        ContainerEntry entry = Find(id);
        if (entry.Record.State.Paused)
            throw Errors.Conflict($"container {entry.Record.Id} is paused, unpause the container before attach");
        byte[] detachKeys = DetachKeys.Parse(options.DetachKeys);
        if (!options.Stream)
        {
            AttachStreams logsOnly = await connect();
            if (options.Logs)
                await ReplayLogsAsync(entry, options, logsOnly, cancellationToken);
            return;
        }

        ShimStream? stream = null;
        PendingAttach? pending = null;
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            if (entry.IsRunning && entry.Shim is { } shim)
            {
                stream = await shim.AttachAsync(AttachOptionsFor(entry, options), cancellationToken);
            }
            else
            {
                pending = new PendingAttach(options, cancellationToken);
                entry.PendingAttaches.Add(pending);
            }
        }
        finally
        {
            entry.Lock.Release();
        }

        try
        {
            AttachStreams streams = await connect();
            if (options.Logs)
                await ReplayLogsAsync(entry, options, streams, cancellationToken);
            if (stream is null)
            {
                try
                {
                    stream = await pending!.Connected.Task.WaitAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The start failed: the start request reports why; the stream just ends, as with dockerd.
                    return;
                }
            }
            await using (stream)
            {
                AttachStreams effective = options.Stdin && entry.Record.Config.OpenStdin ? streams : streams with { Stdin = null };
                if (await AttachPump.RunAsync(stream, entry.Record.Config.Tty, effective, detachKeys, cancellationToken))
                    Publish(entry, "detach");
            }
        }
        finally
        {
            if (pending is not null && !pending.Connected.Task.IsCompletedSuccessfully)
            {
                await entry.Lock.WaitAsync(CancellationToken.None);
                entry.PendingAttaches.Remove(pending);
                entry.Lock.Release();
            }
            else if (stream is not null && pending is null)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static ShimAttachOptions AttachOptionsFor(ContainerEntry entry, AttachOptions options) => new()
    {
        Stdin = options.Stdin && entry.Record.Config.OpenStdin,
        Stdout = options.Stdout,
        Stderr = options.Stderr,
        CloseStdinOnEof = entry.Record.Config.StdinOnce,
    };

    private static async Task ReplayLogsAsync(ContainerEntry entry, AttachOptions options, AttachStreams streams, CancellationToken cancellationToken)
    {
        var logs = new LogsOptions { Stdout = options.Stdout, Stderr = options.Stderr };
        await foreach (LogEntry line in JsonLogReader.ReadAsync(entry.Record.LogPath, logs, () => false, cancellationToken))
        {
            Stream? target = line.Stream == 2 && !entry.Record.Config.Tty ? streams.Stderr : streams.Stdout;
            if (target is not null)
                await target.WriteAsync(line.Line, cancellationToken);
        }
    }

    public IAsyncEnumerable<LogEntry> LogsAsync(string id, LogsOptions options, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(id);
        return JsonLogReader.ReadAsync(entry.Record.LogPath, options, () => entry.IsRunning || entry.Record.State.Restarting, cancellationToken);
    }

    public async Task ResizeAsync(string name, int height, int width, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        if (!entry.IsRunning || entry.Shim is not { } shim)
            throw Errors.Conflict($"Container {entry.Record.Id} is not running");
        if (height is < 0 or > ushort.MaxValue || width is < 0 or > ushort.MaxValue)
            throw Errors.InvalidArgument($"invalid terminal size {height}x{width}");
        await shim.ResizeAsync((ushort)height, (ushort)width, cancellationToken: cancellationToken);
    }
}
