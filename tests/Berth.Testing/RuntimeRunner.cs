using System.Collections.Concurrent;

namespace Berth.Testing;

/// <summary>
/// Drives one OCI runtime binary (runc, or the one BERTH_RUNTIME names) with runc's command syntax. Every instance
/// has its own <c>--root</c> (state dir) under a temp dir and its own <c>--log</c> file, so it never sees or disturbs
/// other users of runc on the machine. Dispose force-deletes every container it created, then removes the root.
/// </summary>
public sealed class RuntimeRunner : IDisposable
{
    private readonly ConcurrentDictionary<string, byte> _ids = new();
    private readonly string _workDir;

    private RuntimeRunner(string name, string path)
    {
        Name = name;
        BinaryPath = path;
        _workDir = Directory.CreateTempSubdirectory($"berth-rt-{name}-").FullName;
        Root = Path.Combine(_workDir, "root");
        Directory.CreateDirectory(Root);
        LogPath = Path.Combine(_workDir, "runtime.log");
    }

    /// <summary>runc's path: BERTH_RUNC or /usr/sbin/runc.</summary>
    public static string RuncPath => Environment.GetEnvironmentVariable("BERTH_RUNC") is { Length: > 0 } p ? p : "/usr/sbin/runc";

    /// <summary>The runtime under test, from BERTH_RUNTIME (null when unset).</summary>
    public static string? RuntimeUnderTestPath => Environment.GetEnvironmentVariable("BERTH_RUNTIME") is { Length: > 0 } p ? p : null;

    /// <summary>True while validating the harness: BERTH_RUNTIME is runc or crun rather than berth-runtime.</summary>
    public static bool RuntimeUnderTestIsReferenceRuntime =>
        RuntimeUnderTestPath is { } p && Path.GetFileName(p) is "runc" or "crun";

    public string Name { get; }

    public string BinaryPath { get; }

    /// <summary>The state directory passed as <c>--root</c>.</summary>
    public string Root { get; }

    /// <summary>The file passed as <c>--log</c>.</summary>
    public string LogPath { get; }

    public bool IsRunc => Path.GetFileName(BinaryPath) == "runc";

    /// <summary>The reference runtime.</summary>
    public static RuntimeRunner Runc() => new("runc", RuncPath);

    /// <summary>The runtime under test (BERTH_RUNTIME); call <c>Requires.Runtime()</c> first.</summary>
    public static RuntimeRunner UnderTest() =>
        new("berth", RuntimeUnderTestPath ?? throw new InvalidOperationException("BERTH_RUNTIME is not set"));

    /// <summary>Where the container's stdout/stderr go for <see cref="CreateAsync"/> (the runtime's own stdio).</summary>
    public string OutputPrefix(string id) => Path.Combine(_workDir, $"{id.Replace('/', '_')}.create");

    public string ContainerStdout(string id) => ReadIfExists(OutputPrefix(id) + ".out");

    public string ContainerStderr(string id) => ReadIfExists(OutputPrefix(id) + ".err");

    /// <summary>Runs <c>runtime --root R --log L args...</c>.</summary>
    public Task<ProcessResult> ExecAsync(IEnumerable<string> args, TimeSpan? timeout = null, string? outputPrefix = null) =>
        ChildProcess.RunAsync(BinaryPath, ["--root", Root, "--log", LogPath, .. args], timeout, outputPrefix);

    /// <summary><c>run --bundle B ID</c> in the foreground: the result carries the container's stdout, stderr and exit code.</summary>
    public Task<ProcessResult> RunAsync(BusyboxBundle bundle, string id, TimeSpan? timeout = null)
    {
        bundle.Save();
        _ids.TryAdd(id, 0);
        return ExecAsync(["run", "--bundle", bundle.Path, id], timeout);
    }

    /// <summary><c>create --bundle B ID</c>; the container's stdio goes to files read by <see cref="ContainerStdout"/>.</summary>
    public Task<ProcessResult> CreateAsync(BusyboxBundle bundle, string id, TimeSpan? timeout = null)
    {
        bundle.Save();
        _ids.TryAdd(id, 0);
        return ExecAsync(["create", "--bundle", bundle.Path, id], timeout, OutputPrefix(id));
    }

    /// <summary><c>create OPTIONS... --bundle B ID</c> (e.g. <c>--console-socket S</c>, <c>--pid-file P</c>).</summary>
    public Task<ProcessResult> CreateAsync(BusyboxBundle bundle, string id, IReadOnlyList<string> options, TimeSpan? timeout = null)
    {
        bundle.Save();
        _ids.TryAdd(id, 0);
        return ExecAsync(["create", .. options, "--bundle", bundle.Path, id], timeout, OutputPrefix(id));
    }

    public Task<ProcessResult> StartAsync(string id) => ExecAsync(["start", id]);

    /// <summary><c>create</c> then <c>start</c>, failing the test with the runtime's output if either fails.</summary>
    public async Task CreateAndStartAsync(BusyboxBundle bundle, string id)
    {
        (await CreateAsync(bundle, id)).EnsureSuccess();
        (await StartAsync(id)).EnsureSuccess();
    }

    /// <summary>
    /// <c>exec OPTIONS... ID COMMAND...</c> (runc syntax): in the foreground the result carries the new process'
    /// stdout, stderr and exit code; with <c>--detach</c> the process keeps the runtime's stdio (files).
    /// </summary>
    public Task<ProcessResult> ExecInContainerAsync(string id, IReadOnlyList<string> options, IReadOnlyList<string> command, TimeSpan? timeout = null) =>
        ExecAsync(["exec", .. options, id, .. command], timeout);

    public async Task<ContainerState> StateAsync(string id)
    {
        ProcessResult r = await ExecAsync(["state", id]);
        r.EnsureSuccess();
        return ContainerState.Parse(r.Stdout);
    }

    public Task<ProcessResult> KillAsync(string id, string signal = "SIGTERM", bool all = false) =>
        ExecAsync(all ? ["kill", "--all", id, signal] : ["kill", id, signal]);

    public Task<ProcessResult> DeleteAsync(string id, bool force = false) =>
        ExecAsync(force ? ["delete", "--force", id] : ["delete", id]);

    public Task<ProcessResult> ListAsync(bool json = false) => ExecAsync(json ? ["list", "--format", "json"] : ["list"]);

    public Task<ProcessResult> PsAsync(string id) => ExecAsync(["ps", id]);

    public Task<ProcessResult> PauseAsync(string id) => ExecAsync(["pause", id]);

    public Task<ProcessResult> ResumeAsync(string id) => ExecAsync(["resume", id]);

    /// <summary>Polls <c>state</c> until the container reaches <paramref name="status"/>.</summary>
    /// <param name="exited">The foreground <c>run</c>, if any: when it ends first, fail at once with its output.</param>
    public async Task<ContainerState> WaitForStatusAsync(string id, string status, TimeSpan? timeout = null, Task<ProcessResult>? exited = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        ContainerState? last = null;
        string lastError = "";
        while (DateTime.UtcNow < deadline)
        {
            if (exited is { IsCompleted: true })
            {
                throw new InvalidOperationException($"{Name}: container {id} ended before reaching \"{status}\": {await exited}");
            }

            ProcessResult r = await ExecAsync(["state", id]);
            if (r.ExitCode == 0)
            {
                last = ContainerState.Parse(r.Stdout);
                if (last.Status == status)
                {
                    return last;
                }
            }
            else
            {
                lastError = r.Stderr;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{Name}: container {id} never reached \"{status}\"; last state: {last?.Json ?? lastError}");
    }

    /// <summary>The runtime's --log file (empty if it wrote none).</summary>
    public string ReadLog() => ReadIfExists(LogPath);

    /// <summary>Remembers an ID created by a command line run elsewhere (a tmux pane), so Dispose deletes it.</summary>
    public void Track(string id) => _ids.TryAdd(id, 0);

    /// <summary>Forgets an ID this runner should not clean up (it was never created, e.g. an invalid ID).</summary>
    public void Forget(string id) => _ids.TryRemove(id, out _);

    public void Dispose()
    {
        foreach (string id in _ids.Keys)
        {
            try
            {
                // Forced delete kills what is left; a container already gone is fine.
                ExecAsync(["delete", "--force", id], TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            }
            catch (TimeoutException)
            {
            }
        }

        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover mount or busy file: LeakCheck reports it; don't hide the test's own failure.
        }
    }

    private static string ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
