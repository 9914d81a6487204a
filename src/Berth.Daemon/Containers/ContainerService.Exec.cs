using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Api.Exec;
using Berth.Core.Errors;
using Berth.Daemon.Backends;
using Berth.Runtime.Containers;
using Berth.Runtime.Shim;
using Berth.Runtime.Spec;

namespace Berth.Daemon.Containers;

internal sealed partial class ContainerService
{
    private readonly ConcurrentDictionary<string, ExecEntry> _execs = new(StringComparer.Ordinal);

    public Task<string> CreateExecAsync(string container, ExecCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ContainerEntry entry = Find(container);
        if (!entry.IsRunning)
            throw Errors.Conflict($"container {entry.Record.Id} is not running");
        if (entry.Record.State.Paused)
            throw Errors.Conflict($"container {entry.Record.Id} is paused, unpause the container before exec");
        if (request.Cmd is not { Count: > 0 })
            throw Errors.InvalidArgument("No exec command specified");
        _ = DetachKeys.Parse(request.DetachKeys);
        var exec = new ExecEntry(ContainerNames.NewId(), entry.Record.Id, request);
        _execs[exec.Id] = exec;
        Publish(entry, "exec_create: " + string.Join(' ', request.Cmd), new Dictionary<string, string>(StringComparer.Ordinal) { ["execID"] = exec.Id });
        return Task.FromResult(exec.Id);
    }

    public Task<StreamTarget> ResolveExecAsync(string execId, CancellationToken cancellationToken)
    {
        ExecEntry exec = FindExec(execId);
        return Task.FromResult(new StreamTarget(exec.Id, exec.Request.Tty));
    }

    public async Task StartExecAsync(string execId, ExecStartRequest request, AttachStreams? streams, CancellationToken cancellationToken)
    {
        ExecEntry exec = FindExec(execId);
        ContainerEntry entry = Find(exec.ContainerId);
        ShimStream? stream;
        ShimClient shim;
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            if (exec.Started)
                throw Errors.Conflict($"Error: Exec command {exec.Id} has already run");
            if (!entry.IsRunning || entry.Shim is null)
                throw Errors.Conflict($"container {entry.Record.Id} is not running");
            shim = entry.Shim;
            exec.Started = true;
            SpecProcess process = await ExecProcessAsync(entry, exec.Request, cancellationToken);
            (ShimState state, stream) = await shim.ExecAsync(new ShimExecOptions
            {
                Process = process,
                ExecId = exec.Id,
                OpenStdin = exec.Request.AttachStdin && streams?.Stdin is not null,
                Attach = streams is not null,
            }, cancellationToken);
            exec.Pid = state.Pid;
            exec.Running = true;
            Publish(entry, "exec_start: " + string.Join(' ', exec.Request.Cmd!), new Dictionary<string, string>(StringComparer.Ordinal) { ["execID"] = exec.Id });
        }
        catch
        {
            exec.Running = false;
            exec.ExitCode ??= 126;
            throw;
        }
        finally
        {
            entry.Lock.Release();
        }

        Task finished = FinishExecAsync(entry, exec, shim);
        if (stream is null || streams is null)
            return;
        await using (stream)
        {
            await AttachPump.RunAsync(stream, exec.Request.Tty, exec.Request.AttachStdin ? streams : streams with { Stdin = null }, DetachKeys.Parse(exec.Request.DetachKeys), cancellationToken);
        }
        await finished.WaitAsync(cancellationToken);
    }

    private async Task FinishExecAsync(ContainerEntry entry, ExecEntry exec, ShimClient shim)
    {
        try
        {
            ShimState state = await shim.WaitAsync(exec.Id, _shutdown.Token);
            exec.ExitCode = state.ExitCode ?? 255;
        }
        catch (Exception e) when (e is BerthException or IOException or System.Net.Sockets.SocketException)
        {
            exec.ExitCode ??= 255;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        exec.Running = false;
        Publish(entry, "exec_die", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["execID"] = exec.Id,
            ["exitCode"] = exec.ExitCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>The container's own process settings (env, capabilities, rlimits, seccomp-relevant flags) with the
    /// exec's command, terminal, user, directory and extra variables on top, as Docker builds an exec's process.</summary>
    private async Task<SpecProcess> ExecProcessAsync(ContainerEntry entry, ExecCreateRequest request, CancellationToken cancellationToken)
    {
        string configPath = Path.Combine(_paths.RunDirectory(entry.Record.Id), "config.json");
        RuntimeSpec spec = JsonSerializer.Deserialize(await File.ReadAllTextAsync(configPath, cancellationToken), SpecJsonContext.Default.RuntimeSpec)
            ?? throw Errors.Internal($"{configPath} is empty");
        SpecProcess process = spec.Process ?? new SpecProcess();
        process.Args = [.. request.Cmd!];
        process.Terminal = request.Tty;
        process.ConsoleSize = null;
        if (!string.IsNullOrEmpty(request.WorkingDir))
            process.Cwd = request.WorkingDir;
        List<string> env = process.Env ?? [];
        if (request.Tty && !env.Exists(e => e.StartsWith("TERM=", StringComparison.Ordinal)))
            env.Add("TERM=xterm");
        foreach (string variable in request.Env ?? [])
        {
            string name = variable.Split('=', 2)[0];
            env.RemoveAll(e => e.Split('=', 2)[0] == name);
            env.Add(variable);
        }
        process.Env = env;
        if (!string.IsNullOrEmpty(request.User))
        {
            ResolvedUser user = ContainerUserResolver.Resolve(_paths.Rootfs(entry.Record.Id), request.User, _syscalls.ReadLink);
            process.User = new SpecUser { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids.Count > 0 ? [.. user.AdditionalGids] : null };
        }
        if (request.Privileged)
        {
            List<string> all = [.. Capabilities.All];
            process.Capabilities = new SpecCapabilities { Bounding = all, Effective = [.. all], Permitted = [.. all] };
        }
        return process;
    }

    public async Task ResizeExecAsync(string execId, int height, int width, CancellationToken cancellationToken)
    {
        ExecEntry exec = FindExec(execId);
        ContainerEntry entry = Find(exec.ContainerId);
        if (!exec.Running || entry.Shim is not { } shim)
            throw Errors.Conflict($"Exec {exec.Id} is not running");
        await shim.ResizeAsync((ushort)Math.Clamp(height, 0, ushort.MaxValue), (ushort)Math.Clamp(width, 0, ushort.MaxValue), exec.Id, cancellationToken);
    }

    public Task<ExecInspectResponse> InspectExecAsync(string execId, CancellationToken cancellationToken)
    {
        ExecEntry exec = FindExec(execId);
        IReadOnlyList<string> cmd = exec.Request.Cmd ?? [];
        return Task.FromResult(new ExecInspectResponse
        {
            Id = exec.Id,
            ContainerId = exec.ContainerId,
            Running = exec.Running,
            ExitCode = exec.ExitCode,
            Pid = exec.Pid,
            OpenStdin = exec.Request.AttachStdin,
            OpenStdout = exec.Request.AttachStdout,
            OpenStderr = exec.Request.AttachStderr,
            DetachKeys = exec.Request.DetachKeys ?? "",
            CanRemove = !exec.Running && exec.Started,
            ProcessConfig = new ExecProcessConfig
            {
                Privileged = exec.Request.Privileged,
                User = exec.Request.User ?? "",
                Tty = exec.Request.Tty,
                Entrypoint = cmd.Count > 0 ? cmd[0] : "",
                Arguments = cmd.Skip(1).ToList(),
            },
        });
    }

    private ExecEntry FindExec(string execId) =>
        _execs.TryGetValue(execId, out ExecEntry? exec) ? exec : throw Errors.NotFound($"No such exec instance: {execId}");
}
