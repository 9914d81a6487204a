using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Lifecycle;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Shim;

/// <summary>
/// The shim's event loop: one thread, one poll(2) over the container's output fds, the processes' pidfds, the
/// listening socket and its clients (the classic shim shape: no thread pool, no locks, little memory). It writes
/// the log, feeds attached clients, reaps children (it is their subreaper) and answers requests.
/// </summary>
internal sealed class ShimServer : IDisposable
{
    /// <summary>Orphans reparented to us exit without waking poll; this bounds how long they stay zombies.</summary>
    private const int ReapIntervalMs = 5_000;

    /// <summary>How long the shim must have been quiet after a request before it gives back the memory it used.</summary>
    private const int TrimAfterIdleMs = 200;

    private readonly ShimOptions _options;
    private readonly OciRuntime _runtime;
    private readonly SafeFd _listener;
    private readonly ShimSession _main;
    private readonly JsonFileLog? _log;
    private readonly List<ShimConnection> _connections = [];
    private readonly Dictionary<string, ShimSession> _execs = new(StringComparer.Ordinal);
    private readonly byte[] _buffer = new byte[StreamFrame.HeaderLength + (32 * 1024)];
    private readonly int _shimPid = Environment.ProcessId;
    private int _execCounter;
    private ShimConnection? _deleteRequester;
    private bool _done;
    private bool _trimmed;

    private ShimServer(ShimOptions options, OciRuntime runtime, ShimSession main, JsonFileLog? log, SafeFd listener)
    {
        _options = options;
        _runtime = runtime;
        _main = main;
        _log = log;
        _listener = listener;
    }

    public int ContainerPid => _main.Pid;

    public string SocketPath => Path.Combine(_options.StateDirectory, ShimOptions.SocketName);

    /// <summary>Creates the container (stdio as pipes, or the pty per process.terminal) and starts listening.</summary>
    public static ShimServer Create(ShimOptions options, OciRuntime runtime)
    {
        bool tty = options.Terminal ?? SpecLoader.Load(options.Bundle).Process?.Terminal == true;
        JsonFileLog? log = options.LogPath is null ? null : new JsonFileLog(options.LogPath, options.LogMaxSize, options.LogMaxFiles);
        SafeFd? listener = null;
        ShimSession? main = null;
        try
        {
            main = tty
                ? FromStarted(null, runtime.Create(options.Id, options.Bundle, new CreateOptions { Foreground = true }), log)
                : WithPipes(null, options.OpenStdin, log, stdio => runtime.Create(options.Id, options.Bundle, new CreateOptions { Stdio = stdio }));
            if (tty && !main.Tty)
            {
                // The launcher said terminal, the config did not: the process would be writing into the shim's own stdio.
                throw Errors.InvalidArgument("berth-runtime shim: --terminal true, but the bundle's process.terminal is false");
            }

            string socketPath = Path.Combine(options.StateDirectory, ShimOptions.SocketName);
            File.Delete(socketPath);
            listener = UnixSockets.Listen(socketPath, 64);
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return new ShimServer(options, runtime, main, log, listener);
        }
        catch
        {
            listener?.Dispose();
            if (main is not null)
            {
                main.Dispose();
                _ = Try(() => runtime.Delete(options.Id, force: true));
            }

            log?.Dispose();
            throw;
        }
    }

    public void Run()
    {
        var slots = new List<PollSlot>();
        var targets = new List<object>();
        while (!_done)
        {
            BuildPollSet(slots, targets);
            PollSlot[] set = [.. slots];
            if (Polling.Wait(set, _trimmed ? ReapIntervalMs : TrimAfterIdleMs) == 0 && !_trimmed)
            {
                TrimMemory();
            }
            for (int i = 0; i < set.Length && !_done; i++)
            {
                if ((set[i].Returned & (PollSlot.In | PollSlot.Out | PollSlot.Error | PollSlot.HangUp | PollSlot.Invalid)) == 0)
                {
                    continue;
                }

                switch (targets[i])
                {
                    case OutputTarget output:
                        ReadOutput(output);
                        break;
                    case StdinTarget stdin:
                        ForwardStdin(stdin.Connection);
                        break;
                    case ShimConnection connection:
                        OnReadable(connection);
                        break;
                    case SafeFd:
                        Accept();
                        break;
                }
            }

            Reap();
            _connections.RemoveAll(c => c.Closed);
        }
    }

    /// <summary>
    /// Once the shim has gone quiet (after creating the container, after an exec): it lives as long as its container,
    /// but most of what it touched was for those (spec parsing, cgroups, namespaces). A compacting collection
    /// decommits the garbage heap, and that code and read-only data go back to the page cache, shared by every shim.
    /// </summary>
    private void TrimMemory()
    {
        _trimmed = true;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _ = Try(WorkingSet.ReleaseCleanFileMappings);
    }

    public void Dispose()
    {
        _connections.ForEach(c => c.Dispose());
        _listener.Dispose();
        File.Delete(SocketPath);
        foreach (ShimSession exec in _execs.Values)
        {
            exec.Dispose();
        }

        _main.Dispose();
        _log?.Dispose();
    }

    private void BuildPollSet(List<PollSlot> slots, List<object> targets)
    {
        slots.Clear();
        targets.Clear();
        slots.Add(new PollSlot(_listener.Fd, PollSlot.In));
        targets.Add(_listener);
        foreach (ShimSession session in Sessions())
        {
            if (session.Finished)
            {
                continue;
            }

            foreach ((SafeFd fd, byte stream) in session.Outputs)
            {
                slots.Add(new PollSlot(fd.Fd, PollSlot.In));
                targets.Add(new OutputTarget(session, fd, stream));
            }

            if (session.ExitCode is null)
            {
                slots.Add(new PollSlot(session.PidFd.Fd, PollSlot.In));
                targets.Add(session); // woken only; the reaper does the work
            }
        }

        foreach (ShimConnection connection in _connections)
        {
            if (connection.Closed || connection.InputClosed)
            {
                continue;
            }

            if (connection.Attached is { Stdin: { } stdin } && connection.WantsStdin && connection.InputCount > 0)
            {
                // Stdin the process has not taken yet: wait until it can, and read no more from this client meanwhile.
                slots.Add(new PollSlot(stdin.Fd, PollSlot.Out));
                targets.Add(new StdinTarget(connection));
                continue;
            }

            slots.Add(new PollSlot(connection.Fd, PollSlot.In));
            targets.Add(connection);
        }
    }

    private IEnumerable<ShimSession> Sessions() => _execs.Values.Prepend(_main);

    private void Accept()
    {
        try
        {
            if (UnixSockets.TryAccept(_listener) is { } accepted)
            {
                _connections.Add(new ShimConnection(accepted));
            }
        }
        catch (LinuxException)
        {
            // Out of fds and the like: the client sees its connection closed, and the shim goes on serving the others.
        }
    }

    private void ReadOutput(OutputTarget output)
    {
        if (output.Fd.IsClosed)
        {
            return;
        }

        int n = FileDescriptors.TryRead(output.Fd, _buffer.AsSpan(StreamFrame.HeaderLength));
        if (n > 0)
        {
            Deliver(output.Session, output.Stream, n);
        }
        else if (n == 0)
        {
            output.Session.Outputs.Remove((output.Fd, output.Stream));
            if (!ReferenceEquals(output.Fd, output.Session.Console))
            {
                output.Fd.Dispose();
            }
        }
    }

    /// <summary>Output read into the buffer (after room for a frame header) goes to the log and to every attached client.</summary>
    private void Deliver(ShimSession session, byte stream, int count)
    {
        ReadOnlySpan<byte> data = _buffer.AsSpan(StreamFrame.HeaderLength, count);
        (stream == StreamFrame.Stderr ? session.StderrLog : session.StdoutLog)?.Append(data);
        StreamFrame.WriteHeader(_buffer, stream, count);
        foreach (ShimConnection client in session.Attached)
        {
            if (stream == StreamFrame.Stderr ? client.WantsStderr : client.WantsStdout)
            {
                _ = client.Send(session.Tty ? data : _buffer.AsSpan(0, StreamFrame.HeaderLength + count));
            }
        }

        session.Attached.RemoveAll(c => c.Closed);
    }

    private void OnReadable(ShimConnection connection)
    {
        if (!connection.ReadAvailable())
        {
            connection.InputClosed = true;
            if (connection.Attached is { } attached)
            {
                if (connection.WantsStdin && connection.CloseStdinOnEof)
                {
                    CloseStdin(attached);
                }
            }
            else
            {
                // A client that went away: nothing more to answer (waiters included).
                _main.Waiters.Remove(connection);
                foreach (ShimSession exec in _execs.Values)
                {
                    exec.Waiters.Remove(connection);
                }

                connection.Dispose();
            }

            return;
        }

        if (connection.Attached is not null)
        {
            ForwardStdin(connection);
            return;
        }

        while (!connection.Closed && connection.Attached is null && ShimFraming.TryDecodeSafe(connection.Input, out int consumed, out ShimRequest? request))
        {
            connection.Consume(consumed);
            if (request is null)
            {
                _ = connection.Send(ShimFraming.Encode(new ShimResponse { ErrorKind = ErrorKind.InvalidArgument, Error = "shim protocol: malformed request" }));
                connection.Dispose();
                return;
            }

            ShimResponse? response;
            try
            {
                response = Handle(connection, request);
            }
            catch (Exception ex) when (ex is BerthException or IOException or UnauthorizedAccessException)
            {
                response = ShimResponse.Failure(ex);
            }

            if (response is not null)
            {
                _ = connection.Send(ShimFraming.Encode(response));
            }
        }

        if (connection.Attached is not null && connection.InputCount > 0)
        {
            ForwardStdin(connection); // bytes the client sent right behind its attach request
        }
    }

    /// <summary>Client bytes to the process's stdin, as much as it takes now; the rest waits for POLLOUT.</summary>
    private static void ForwardStdin(ShimConnection connection)
    {
        ShimSession session = connection.Attached!;
        if (!connection.WantsStdin || session.Stdin is null)
        {
            connection.Consume(connection.InputCount);
            return;
        }

        try
        {
            int n = FileDescriptors.TryWrite(session.Stdin, connection.Input);
            if (n > 0)
            {
                connection.Consume(n);
            }
        }
        catch (LinuxException)
        {
            // The reader is gone (EPIPE): nobody will read this input.
            connection.Consume(connection.InputCount);
            session.CloseStdin();
        }
    }

    private ShimResponse? Handle(ShimConnection connection, ShimRequest request)
    {
        _trimmed = false; // an exec, say, brings megabytes of runtime code back in: give them back once quiet again
        switch (request.Op)
        {
            case ShimRequest.Start:
                if (_main.Status != ShimState.Created)
                {
                    throw Errors.FailedPrecondition($"container {_options.Id} has already been started");
                }

                _runtime.Start(_options.Id);
                _main.Status = ShimState.Running;
                _main.StartedAt = DateTimeOffset.UtcNow;
                return Reply(_main);

            case ShimRequest.State:
                return Reply(Find(request.ExecId));

            case ShimRequest.Kill:
                Kill(Find(request.ExecId), request.Signal == 0 ? Signals.SIGTERM : request.Signal, request.All);
                return Reply(Find(request.ExecId));

            case ShimRequest.Wait:
            {
                ShimSession session = Find(request.ExecId);
                if (session.Finished)
                {
                    return Reply(session);
                }

                session.Waiters.Add(connection);
                return null;
            }

            case ShimRequest.Attach:
            {
                ShimSession session = Find(request.ExecId);
                if (session.Finished)
                {
                    throw Errors.FailedPrecondition("You cannot attach to a stopped container, start it first");
                }

                Attach(connection, session, request);
                return Reply(session);
            }

            case ShimRequest.Resize:
            {
                ShimSession session = Find(request.ExecId);
                SafeFd console = session.Console ?? throw Errors.FailedPrecondition("the process has no terminal to resize");
                Terminal.SetSize(console, request.Rows, request.Columns);
                return Reply(session);
            }

            case ShimRequest.Exec:
                return Exec(connection, request);

            case ShimRequest.CloseStdin:
            {
                ShimSession session = Find(request.ExecId);
                CloseStdin(session);
                return Reply(session);
            }

            case ShimRequest.Delete:
                return Delete(connection, request.Force);

            default:
                throw Errors.InvalidArgument($"shim protocol: unknown op \"{request.Op}\"");
        }
    }

    private ShimResponse Reply(ShimSession session) => new() { State = session.ToState(_options.Id, _shimPid) };

    private ShimSession Find(string? execId) =>
        execId is null ? _main
        : _execs.TryGetValue(execId, out ShimSession? session) ? session
        : throw Errors.NotFound($"No such exec instance: {execId}");

    private void Kill(ShimSession session, int signal, bool all)
    {
        if (session.ExitCode is not null && !all)
        {
            throw Errors.Conflict(session.ExecId is null ? $"Container {_options.Id} is not running" : $"exec {session.ExecId} is not running");
        }

        if (session.ExecId is null)
        {
            _runtime.Kill(_options.Id, signal, all);
            return;
        }

        Errno error = Processes.TrySignal(session.PidFd, signal);
        if (error != Errno.None)
        {
            throw new LinuxException(error, $"kill {signal}", session.ExecId);
        }
    }

    private static void Attach(ShimConnection connection, ShimSession session, ShimRequest request)
    {
        connection.Attached = session;
        connection.WantsStdin = request.Stdin;
        connection.WantsStdout = request.Stdout;
        connection.WantsStderr = request.Stderr;
        connection.CloseStdinOnEof = request.CloseStdinOnEof;
        session.Attached.Add(connection);
    }

    private static void CloseStdin(ShimSession session)
    {
        if (session.Tty)
        {
            // A terminal has no end of input to close; ^D at the start of a line is how its reader sees one.
            if (session.Console is { } console)
            {
                _ = Try(() => FileDescriptors.TryWrite(console, [4]));
            }

            return;
        }

        session.CloseStdin();
    }

    private ShimResponse Exec(ShimConnection connection, ShimRequest request)
    {
        if (_main.Status != ShimState.Running || _main.ExitCode is not null)
        {
            throw Errors.Conflict($"Container {_options.Id} is not running");
        }

        SpecProcess process = request.Process ?? throw Errors.InvalidArgument("exec: no process given");
        string execId = request.ExecId ?? $"exec-{++_execCounter}";
        if (execId.Length == 0 || _execs.ContainsKey(execId))
        {
            throw Errors.AlreadyExists($"exec {execId} already exists");
        }

        ShimSession session = process.Terminal
            ? FromStarted(execId, _runtime.StartExec(_options.Id, new ExecOptions { Process = _ => process }), null)
            : WithPipes(execId, request.OpenStdin, null, stdio => _runtime.StartExec(_options.Id, new ExecOptions { Process = _ => process, Stdio = stdio }));
        session.Status = ShimState.Running;
        session.StartedAt = DateTimeOffset.UtcNow;
        _execs.Add(execId, session);
        if (request.AttachStreams)
        {
            Attach(connection, session, request);
        }

        return Reply(session);
    }

    private ShimResponse? Delete(ShimConnection connection, bool force)
    {
        if (_main.Status == ShimState.Created && _main.ExitCode is null)
        {
            // Never started: the runtime kills the init waiting on its exec fifo.
            return FinishDelete();
        }

        if (!_main.Finished)
        {
            if (!force)
            {
                throw Errors.Conflict($"cannot delete container {_options.Id}: it is running (stop it first or force)");
            }

            _ = Try(() => _runtime.Kill(_options.Id, Signals.SIGKILL, all: true));
            _ = Processes.TrySignal(_main.PidFd, Signals.SIGKILL);
            _deleteRequester = connection;
            return null;
        }

        return FinishDelete();
    }

    private ShimResponse FinishDelete()
    {
        _runtime.Delete(_options.Id, force: true);
        _done = true;
        ShimState state = _main.ToState(_options.Id, _shimPid);
        state.Status = ShimState.Stopped;
        return new ShimResponse { State = state };
    }

    private void Reap()
    {
        while (Processes.TryReapAny() is { } reaped)
        {
            ShimSession? session = reaped.Pid == _main.Pid ? _main : _execs.Values.FirstOrDefault(s => s.Pid == reaped.Pid);
            if (session is not null && session.ExitCode is null)
            {
                session.ExitCode = reaped.Status;
            }
        }

        foreach (ShimSession session in Sessions().Where(s => s.ExitCode is not null && !s.Finished).ToList())
        {
            Finish(session);
            if (_done)
            {
                return;
            }
        }
    }

    /// <summary>The process has exited: take what is left of its output, record the exit, answer waiters, end streams.</summary>
    private void Finish(ShimSession session)
    {
        for (int i = session.Outputs.Count - 1; i >= 0; i--)
        {
            (SafeFd fd, byte stream) = session.Outputs[i];
            int n;
            while ((n = FileDescriptors.TryRead(fd, _buffer.AsSpan(StreamFrame.HeaderLength))) > 0)
            {
                Deliver(session, stream, n);
            }
        }

        session.StdoutLog?.Complete();
        session.StderrLog?.Complete();
        session.Finished = true;
        session.Status = ShimState.Stopped;
        session.FinishedAt = DateTimeOffset.UtcNow;
        if (session.ExecId is null)
        {
            session.OomKilled = Try(() => _runtime.OomKillCount(_options.Id) > 0);
            WriteExitFile(session.ToState(_options.Id, 0));
        }

        byte[] reply = ShimFraming.Encode(Reply(session));
        session.Waiters.ForEach(w => { _ = w.Send(reply); w.Dispose(); });
        session.Waiters.Clear();
        session.Attached.ForEach(a => a.Dispose());
        session.Attached.Clear();
        session.CloseStdin();
        foreach ((SafeFd fd, _) in session.Outputs.Where(o => !ReferenceEquals(o.Fd, session.Console)))
        {
            fd.Dispose(); // a background process may still hold the other end; its output is no longer the container's
        }

        session.Outputs.Clear();
        if (session.ExecId is null && _deleteRequester is { } requester)
        {
            ShimResponse response;
            try
            {
                response = FinishDelete();
            }
            catch (Exception ex) when (ex is BerthException or IOException)
            {
                response = ShimResponse.Failure(ex);
            }

            _ = requester.Send(ShimFraming.Encode(response));
        }
    }

    /// <summary>
    /// exit.json, whole or not at all (temp + rename). No fsync: like the runtime's state, it lives on tmpfs and is
    /// meant to outlive the daemon, not the machine.
    /// </summary>
    private void WriteExitFile(ShimState state)
    {
        string path = Path.Combine(_options.StateDirectory, ShimOptions.ExitFileName);
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, state.ToJson());
        File.Move(temp, path, overwrite: true);
    }

    private static ShimSession FromStarted(string? execId, StartedProcess started, JsonFileLog? log)
    {
        SafeFd? console = started.Console;
        var session = new ShimSession(execId, started.Process.Pid, started.Process.PidFd, tty: console is not null)
        {
            Console = console,
            Stdin = console,
            StdoutLog = log is null ? null : new LogLineAssembler((line, partial) => log.Write("stdout", line.Span, partial, DateTime.UtcNow)),
        };
        if (console is not null)
        {
            FileDescriptors.SetNonBlocking(console);
            session.Outputs.Add((console, StreamFrame.Stdout));
        }

        return session;
    }

    /// <summary>Starts a process whose stdio are pipes the session owns the other ends of.</summary>
    private static ShimSession WithPipes(string? execId, bool openStdin, JsonFileLog? log, Func<ProcessStdio, StartedProcess> start)
    {
        var owned = new List<SafeFd>();
        var childEnds = new List<SafeFd>();
        try
        {
            SafeFd stdinRead, stdinWrite = null!;
            if (openStdin)
            {
                (stdinRead, stdinWrite) = FileDescriptors.CreatePipe();
                owned.Add(stdinWrite);
            }
            else
            {
                stdinRead = FileDescriptors.Open("/dev/null", FileDescriptors.ReadOnly);
            }

            childEnds.Add(stdinRead);
            (SafeFd stdoutRead, SafeFd stdoutWrite) = FileDescriptors.CreatePipe();
            owned.Add(stdoutRead);
            childEnds.Add(stdoutWrite);
            (SafeFd stderrRead, SafeFd stderrWrite) = FileDescriptors.CreatePipe();
            owned.Add(stderrRead);
            childEnds.Add(stderrWrite);

            StartedProcess started = start(new ProcessStdio(stdinRead, stdoutWrite, stderrWrite));
            var session = new ShimSession(execId, started.Process.Pid, started.Process.PidFd, tty: false)
            {
                Stdin = openStdin ? stdinWrite : null,
                StdoutLog = log is null ? null : new LogLineAssembler((line, partial) => log.Write("stdout", line.Span, partial, DateTime.UtcNow)),
                StderrLog = log is null ? null : new LogLineAssembler((line, partial) => log.Write("stderr", line.Span, partial, DateTime.UtcNow)),
            };
            foreach (SafeFd fd in owned)
            {
                FileDescriptors.SetNonBlocking(fd);
            }

            session.Outputs.Add((stdoutRead, StreamFrame.Stdout));
            session.Outputs.Add((stderrRead, StreamFrame.Stderr));
            owned.Clear();
            return session;
        }
        finally
        {
            childEnds.ForEach(fd => fd.Dispose());
            owned.ForEach(fd => fd.Dispose());
        }
    }

    private static T? Try<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is BerthException or IOException)
        {
            return default;
        }
    }

    private static bool Try(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex) when (ex is BerthException or IOException)
        {
            return false;
        }
    }

    private sealed record OutputTarget(ShimSession Session, SafeFd Fd, byte Stream);

    private sealed record StdinTarget(ShimConnection Connection);
}
