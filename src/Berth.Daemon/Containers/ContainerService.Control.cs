using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Daemon.Backends;
using Berth.Linux;

namespace Berth.Daemon.Containers;

internal sealed partial class ContainerService
{
    private const int DefaultStopTimeoutSeconds = 10;

    public async Task StopAsync(string name, StopOptions options, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        entry.RestartDelay?.Cancel();
        Task<ContainerWaitResponse> exited;
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            entry.Record.ManuallyStopped = true;
            if (!entry.IsRunning || entry.Shim is null)
            {
                if (entry.Record.State.Restarting)
                {
                    entry.Record.State = entry.Record.State with { Status = ContainerStatuses.Exited, Restarting = false };
                    await SaveAsync(entry);
                    return;
                }
                throw new BerthException(ErrorKind.NotModified, "container already stopped");
            }
            await SaveAsync(entry);
            exited = entry.NextExit.Task;
            if (entry.Record.State.Paused)
                await ResumeProcessesAsync(entry, cancellationToken);
            int signal = ParseSignal(options.Signal ?? entry.Record.Config.StopSignal ?? "SIGTERM");
            await entry.Shim.KillAsync(signal, cancellationToken: cancellationToken);
            Publish(entry, "kill", new Dictionary<string, string>(StringComparer.Ordinal) { ["signal"] = signal.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        finally
        {
            entry.Lock.Release();
        }

        int timeout = options.TimeoutSeconds ?? entry.Record.Config.StopTimeout ?? DefaultStopTimeoutSeconds;
        if (timeout >= 0 && await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(timeout), cancellationToken)) != exited)
        {
            if (entry.Shim is { } shim)
                await IgnoreFailureAsync(() => shim.KillAsync(Signals.SIGKILL, all: true, cancellationToken: CancellationToken.None));
        }
        await exited.WaitAsync(cancellationToken);
        Publish(entry, "stop");
    }

    public async Task KillAsync(string name, string? signal, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        int number = ParseSignal(string.IsNullOrEmpty(signal) ? "SIGKILL" : signal);
        Task<ContainerWaitResponse> exited;
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            if (!entry.IsRunning || entry.Shim is null)
                throw Errors.Conflict($"Cannot kill container: {name}: container {entry.Record.Id} is not running");
            if (number == Signals.SIGKILL)
            {
                entry.Record.ManuallyStopped = true;
                await SaveAsync(entry);
            }
            exited = entry.NextExit.Task;
            await entry.Shim.KillAsync(number, cancellationToken: cancellationToken);
            Publish(entry, "kill", new Dictionary<string, string>(StringComparer.Ordinal) { ["signal"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        finally
        {
            entry.Lock.Release();
        }
        // SIGKILL always ends it; wait so that an inspect right after sees the exit, as Docker's kill does.
        if (number == Signals.SIGKILL)
            await exited.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }

    public async Task RestartAsync(string name, StopOptions options, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        if (entry.IsRunning)
            await StopAsync(name, options, cancellationToken);
        await StartAsync(entry.Record.Id, cancellationToken);
        Publish(entry, "restart");
    }

    public async Task PauseAsync(string name, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            if (!entry.IsRunning)
                throw Errors.Conflict($"Container {entry.Record.Id} is not running");
            if (entry.Record.State.Paused)
                throw Errors.Conflict($"Container {entry.Record.Id} is already paused");
            await RunRuntimeAsync(["pause", entry.Record.Id], cancellationToken);
            entry.Record.State = entry.Record.State with { Status = ContainerStatuses.Paused, Paused = true };
            await SaveAsync(entry);
            Publish(entry, "pause");
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    public async Task UnpauseAsync(string name, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            if (!entry.Record.State.Paused)
                throw Errors.Conflict($"Container {entry.Record.Id} is not paused");
            await ResumeProcessesAsync(entry, cancellationToken);
            Publish(entry, "unpause");
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    private async Task ResumeProcessesAsync(ContainerEntry entry, CancellationToken cancellationToken)
    {
        await RunRuntimeAsync(["resume", entry.Record.Id], cancellationToken);
        entry.Record.State = entry.Record.State with { Status = ContainerStatuses.Running, Paused = false };
        await SaveAsync(entry);
    }

    /// <summary>Pause, resume and ps go through berth-runtime's CLI against the shim's runtime root: they are rare,
    /// and the runtime's state is the one place that knows the container's cgroup.</summary>
    private async Task<string> RunRuntimeAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new System.Diagnostics.ProcessStartInfo(_runtimeBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--root");
        start.ArgumentList.Add(_paths.RuntimeRoot);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)
            ?? throw Errors.Internal($"cannot run {_runtimeBinary}");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw Errors.Internal($"{arguments[0]}: {(await error).Trim()}");
        return await output;
    }

    /// <summary>"SIGTERM", "TERM", "term", "15" → 15; Docker's "Invalid signal: x" otherwise.</summary>
    public static int ParseSignal(string signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        string upper = signal.Trim().ToUpperInvariant();
        return Signals.Parse(upper) ?? throw Errors.InvalidArgument($"Invalid signal: {signal}");
    }

    public async Task<Task<ContainerWaitResponse>> WaitAsync(string name, WaitCondition condition, CancellationToken cancellationToken)
    {
        ContainerEntry entry = Find(name);
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            switch (condition)
            {
                case WaitCondition.NotRunning when !entry.IsRunning && !entry.Record.State.Restarting:
                    return Task.FromResult(new ContainerWaitResponse { StatusCode = entry.Record.State.ExitCode });
                case WaitCondition.Removed:
                    return WaitRemovedAsync(entry, cancellationToken);
                default:
                    return entry.NextExit.Task.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    private static async Task<ContainerWaitResponse> WaitRemovedAsync(ContainerEntry entry, CancellationToken cancellationToken)
    {
        await entry.Removed.Task.WaitAsync(cancellationToken);
        return new ContainerWaitResponse { StatusCode = entry.Record.State.ExitCode };
    }
}
