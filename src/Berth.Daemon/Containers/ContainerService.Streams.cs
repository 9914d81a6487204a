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
    /// Attaches now when the container runs; otherwise waits for its next start and is connected before the process
    /// starts (the docker CLI attaches first, then starts), so no output is missed.
    /// </summary>
    public async Task AttachAsync(string id, AttachOptions options, AttachStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(streams);
        ContainerEntry entry = Find(id);
        if (entry.Record.State.Paused)
            throw Errors.Conflict($"container {entry.Record.Id} is paused, unpause the container before attach");
        _ = DetachKeys.Parse(options.DetachKeys);
        if (options.Logs)
            await ReplayLogsAsync(entry, options, streams, cancellationToken);
        if (!options.Stream)
            return;

        Task pump;
        PendingAttach? pending = null;
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            if (entry.IsRunning && entry.Shim is { } shim)
            {
                ShimStream stream = await shim.AttachAsync(AttachOptionsFor(entry, options), cancellationToken);
                pump = PumpAsync(entry, stream, options, streams, cancellationToken);
            }
            else
            {
                pending = new PendingAttach(options, streams, cancellationToken);
                entry.PendingAttaches.Add(pending);
                pump = Task.CompletedTask;
            }
        }
        finally
        {
            entry.Lock.Release();
        }
        if (pending is not null)
        {
            try
            {
                pump = await pending.Connected.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await entry.Lock.WaitAsync(CancellationToken.None);
                entry.PendingAttaches.Remove(pending);
                entry.Lock.Release();
                throw;
            }
        }
        await pump;
    }

    private static ShimAttachOptions AttachOptionsFor(ContainerEntry entry, AttachOptions options) => new()
    {
        Stdin = options.Stdin && entry.Record.Config.OpenStdin,
        Stdout = options.Stdout,
        Stderr = options.Stderr,
        CloseStdinOnEof = entry.Record.Config.StdinOnce,
    };

    private async Task PumpAsync(ContainerEntry entry, ShimStream stream, AttachOptions options, AttachStreams streams, CancellationToken cancellationToken)
    {
        await using (stream)
        {
            AttachStreams effective = options.Stdin && entry.Record.Config.OpenStdin ? streams : streams with { Stdin = null };
            bool detached = await AttachPump.RunAsync(stream, entry.Record.Config.Tty, effective, DetachKeys.Parse(options.DetachKeys), cancellationToken);
            if (detached)
                Publish(entry, "detach");
        }
    }

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
