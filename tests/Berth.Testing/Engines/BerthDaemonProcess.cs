using System.Net.Http;
using System.Net.Sockets;
using Berth.Runtime.Shim;

namespace Berth.Testing.Engines;

/// <summary>
/// berthd — <c>$BERTH_DAEMON</c> (the published binary) or else the Debug build — with its socket, data root, exec
/// root and pid file in a temp dir of its own, <c>--insecure-registry</c> for the local registry, and
/// <c>BERTH_RUNTIME</c> passed on. <see cref="KillHard"/> and <see cref="RestartAsync"/> simulate a crash on the same
/// dirs. Dispose stops berthd by PID, deletes every container's shim it finds under the exec root (and SIGKILLs, by
/// PID, a shim that does not answer), unmounts what is left under the dir and removes it.
/// </summary>
public sealed class BerthDaemonProcess : IAsyncDisposable
{
    private Daemon? _daemon;

    private BerthDaemonProcess(string dir, string execRoot, string program, string? insecureRegistry)
    {
        Dir = dir;
        ExecRoot = execRoot;
        Program = program;
        InsecureRegistry = insecureRegistry;
    }

    public string Dir { get; }

    /// <summary>The berthd binary.</summary>
    public string Program { get; }

    public string? InsecureRegistry { get; }

    public string Socket => Path.Combine(Dir, "berth.sock");

    /// <summary><c>unix:///…/berth.sock</c>, for DOCKER_HOST.</summary>
    public string DockerHost => "unix://" + Socket;

    public string DataRoot => Path.Combine(Dir, "data");

    /// <summary>
    /// A short dir of its own (/tmp/bx + 6 hex), not under <see cref="Dir"/>: the shim's socket is
    /// EXEC/containers/ID(64)/shim/shim.sock and a Unix socket path has at most 107 bytes.
    /// </summary>
    public string ExecRoot { get; }

    public string PidFile => Path.Combine(Dir, "berthd.pid");

    public string LogPath => Path.Combine(Dir, "berthd.log");

    /// <summary>berthd's log so far, across restarts.</summary>
    public string Log => _daemon?.Log ?? (File.Exists(LogPath) ? File.ReadAllText(LogPath) : "");

    public int Pid => _daemon?.Pid ?? 0;

    /// <summary><c>$BERTH_DAEMON</c>, else <c>src/Berth.Daemon/bin/Debug/net10.0/berthd</c> of this checkout.</summary>
    public static string DefaultProgram =>
        Environment.GetEnvironmentVariable("BERTH_DAEMON") is { Length: > 0 } path
            ? path
            : RepositoryPaths.Combine("src", "Berth.Daemon", "bin", "Debug", "net10.0", "berthd");

    public static async Task<BerthDaemonProcess> StartAsync(LocalRegistry? registry = null, string? program = null)
    {
        string dir = Directory.CreateTempSubdirectory("berth-accept-berthd-").FullName;
        string execRoot = "/tmp/bx" + Guid.NewGuid().ToString("N")[..6];
        Directory.CreateDirectory(execRoot);
        var process = new BerthDaemonProcess(dir, execRoot, program ?? DefaultProgram, registry?.Address);
        try
        {
            await process.LaunchAsync();
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL to berthd by PID: a crash. Shims and containers stay.</summary>
    public async Task KillHard()
    {
        if (_daemon is { HasExited: false } daemon)
        {
            await ProcessTools.SignalAsync(daemon.Pid, "KILL");
            await daemon.StopAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>SIGTERM to berthd, waiting for its clean shutdown; its dirs stay for <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
            _daemon = null;
        }
    }

    /// <summary>Starts berthd again on the same dirs (after <see cref="KillHard"/>, or stops it first).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    /// <summary>An HTTP client talking to the socket (base address http://berth/).</summary>
    public HttpClient CreateHttpClient()
    {
        string socket = Socket;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var s = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://berth/"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.StopAsync(TimeSpan.FromSeconds(20));
            await _daemon.DisposeAsync();
            _daemon = null;
        }

        await RemoveShimsAsync();
        await ProcessTools.DeleteTreeAsync(ExecRoot);
        await ProcessTools.DeleteTreeAsync(Dir);
    }

    private async Task LaunchAsync()
    {
        if (!File.Exists(Program))
        {
            throw new FileNotFoundException($"berthd not found at {Program} (build src/Berth.Daemon or set BERTH_DAEMON)");
        }

        var args = new List<string>
        {
            "-H", DockerHost, "--data-root", DataRoot, "--exec-root", ExecRoot, "-p", PidFile,
            "--config-file", ConfigFile(),
        };
        if (InsecureRegistry is not null)
        {
            args.AddRange(["--insecure-registry", InsecureRegistry]);
        }

        var environment = new Dictionary<string, string>();
        if (RuntimeRunner.RuntimeUnderTestPath is { Length: > 0 } runtime)
        {
            environment["BERTH_RUNTIME"] = runtime;
        }

        _daemon = Daemon.Start("berthd", Program, args, LogPath, environment);
        using HttpClient http = CreateHttpClient();
        http.Timeout = TimeSpan.FromSeconds(2);
        await _daemon.WaitUntilAsync(() => PingsAsync(http), TimeSpan.FromSeconds(60));
    }

    /// <summary>An empty config file of our own, so a host's /etc/berth/daemon.json cannot change the daemon under test.</summary>
    private string ConfigFile()
    {
        string path = Path.Combine(Dir, "daemon.json");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "{}");
        }

        return path;
    }

    private static async Task<bool> PingsAsync(HttpClient http)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("/_ping", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Every <c>EXEC/containers/ID/shim</c>: delete through the shim; a shim that does not answer is killed by its PID.</summary>
    private async Task RemoveShimsAsync()
    {
        string containers = Path.Combine(ExecRoot, "containers");
        if (!Directory.Exists(containers))
        {
            return;
        }

        foreach (string stateDirectory in Directory.EnumerateDirectories(containers).Select(d => Path.Combine(d, "shim")).Where(Directory.Exists))
        {
            int shimPid = 0;
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                ShimClient client = await ShimClient.ConnectAsync(stateDirectory, cts.Token);
                ShimState state = await client.StateAsync(cancellationToken: cts.Token);
                shimPid = state.ShimPid;
                _ = await client.DeleteAsync(force: true, cts.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not answering: fall through to the kill below.
            }

            foreach (int pid in ShimPids(stateDirectory, shimPid))
            {
                await ProcessTools.SignalAsync(pid, "KILL");
            }
        }

        // Shims started with --state-dir under our dir that are still around (by PID, found in /proc).
        await ProcessTools.KillProcessesMentioningAsync(Path.Combine(ExecRoot, "containers"));

        // Processes of our containers whose shim is gone: by PID from their cgroup (berth/ID, IDs from our dir only).
        foreach (string id in Directory.EnumerateDirectories(containers).Select(Path.GetFileName).OfType<string>())
        {
            await RemoveContainerCgroupAsync(id);
        }
    }

    private static async Task RemoveContainerCgroupAsync(string id)
    {
        foreach (string hierarchy in LeakCheck.CgroupHierarchies())
        {
            string cgroup = Path.Combine(hierarchy, "berth", id);
            if (!Directory.Exists(cgroup))
            {
                continue;
            }

            for (int attempt = 0; attempt < 50; attempt++)
            {
                string procs = Path.Combine(cgroup, "cgroup.procs");
                string[] pids = File.Exists(procs) ? File.ReadAllLines(procs) : [];
                foreach (string pid in pids.Where(p => p.Length > 0))
                {
                    await ProcessTools.SignalAsync(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), "KILL");
                }

                try
                {
                    foreach (string dir in Directory.EnumerateDirectories(cgroup, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(cgroup))
                    {
                        Directory.Delete(dir);
                    }

                    break;
                }
                catch (IOException)
                {
                    await Task.Delay(100);
                }
            }
        }
    }

    private static IEnumerable<int> ShimPids(string stateDirectory, int shimPid)
    {
        if (shimPid > 0 && Directory.Exists($"/proc/{shimPid}"))
        {
            string cmdline = File.Exists($"/proc/{shimPid}/cmdline") ? File.ReadAllText($"/proc/{shimPid}/cmdline") : "";
            if (cmdline.Contains(stateDirectory, StringComparison.Ordinal))
            {
                yield return shimPid;
            }
        }

    }
}
