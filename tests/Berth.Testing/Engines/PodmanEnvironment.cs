namespace Berth.Testing.Engines;

/// <summary>
/// podman with everything of its own under a temp dir, as /work/shared/PEERS.md describes: containers.conf
/// (<c>default_ulimits</c> within this machine's hard limits, <c>cgroup_manager = "cgroupfs"</c>,
/// <c>events_logger = "file"</c>, <c>netns = "none"</c>, its own tmp/network dirs), storage.conf (overlay, own
/// graphroot/runroot), registries.conf (the local registry insecure), a DOCKER_CONFIG with an empty config.json —
/// through CONTAINERS_CONF, CONTAINERS_STORAGE_CONF, CONTAINERS_REGISTRIES_CONF and DOCKER_CONFIG — plus
/// <c>--root</c>/<c>--runroot</c> on every call. Containers go under the cgroup <see cref="CgroupParent"/>.
/// Dispose removes every container (<c>rm -af -t 0</c>), kills leftovers (conmon) by PID, unmounts, removes the cgroups and the dir.
/// </summary>
public sealed class PodmanEnvironment : IAsyncDisposable
{
    private readonly List<LoggedRuntime> _runtimes = [];

    private PodmanEnvironment(string dir, LocalRegistry registry)
    {
        Dir = dir;
        Registry = registry;
        Root = Path.Combine(dir, "root");
        RunRoot = Path.Combine(dir, "runroot");
        CgroupParent = "berth-test-" + Path.GetFileName(dir);
        Environment = new Dictionary<string, string>
        {
            ["CONTAINERS_CONF"] = Path.Combine(dir, "containers.conf"),
            ["CONTAINERS_STORAGE_CONF"] = Path.Combine(dir, "storage.conf"),
            ["CONTAINERS_REGISTRIES_CONF"] = Path.Combine(dir, "registries.conf"),
            ["DOCKER_CONFIG"] = Path.Combine(dir, "docker-config"),
            ["TMPDIR"] = Path.Combine(dir, "tmp"),
            ["XDG_RUNTIME_DIR"] = Path.Combine(dir, "xdg"),
        };
    }

    public string Dir { get; }

    public LocalRegistry Registry { get; }

    public string Root { get; }

    public string RunRoot { get; }

    /// <summary>The cgroup (at the root of every hierarchy) passed as <c>--cgroup-parent /NAME</c> by <see cref="RunArgs"/>.</summary>
    public string CgroupParent { get; }

    /// <summary>The variables every podman call gets.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Global options for every call: <c>--root R --runroot RR</c>.</summary>
    public IReadOnlyList<string> GlobalArgs => ["--root", Root, "--runroot", RunRoot];

    public static async Task<PodmanEnvironment> CreateAsync(LocalRegistry registry)
    {
        string dir = Directory.CreateTempSubdirectory("berth-podman-").FullName;
        var env = new PodmanEnvironment(dir, registry);
        foreach (string d in new[] { "root", "runroot", "tmp", "xdg", "networks", "docker-config", "libpod-tmp" })
        {
            Directory.CreateDirectory(Path.Combine(dir, d));
        }

        await File.WriteAllTextAsync(Path.Combine(dir, "containers.conf"), $"""
            [containers]
            default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
            netns = "none"
            [engine]
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            events_logfile_path = "{Path.Combine(dir, "events.log")}"
            tmp_dir = "{Path.Combine(dir, "libpod-tmp")}"
            [network]
            network_config_dir = "{Path.Combine(dir, "networks")}"
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "storage.conf"), $"""
            [storage]
            driver = "overlay"
            graphroot = "{env.Root}"
            runroot = "{env.RunRoot}"
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "registries.conf"), $"""
            unqualified-search-registries = []
            [[registry]]
            location = "{registry.Address}"
            insecure = true
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "docker-config", "config.json"), """{"auths":{}}""");
        return env;
    }

    /// <summary>A wrapper around <paramref name="runtimePath"/> that logs calls and gives the runtime a state dir in <see cref="Dir"/>.</summary>
    public LoggedRuntime WrapRuntime(string runtimePath)
    {
        LoggedRuntime runtime = LoggedRuntime.Create(runtimePath, Dir, Path.Combine(Dir, "runtime-state", System.IO.Path.GetFileName(runtimePath)));
        _runtimes.Add(runtime);
        return runtime;
    }

    /// <summary><c>podman --root R --runroot RR --runtime RUNTIME run --cgroup-parent /P ARGS...</c>: the prefix of a run.</summary>
    public IReadOnlyList<string> RunArgs(LoggedRuntime runtime, params string[] args) =>
        [.. GlobalArgs, "--runtime", runtime.Path, "run", "--cgroup-parent", "/" + CgroupParent, .. args];

    /// <summary>Runs <c>podman GLOBAL ARGS...</c> with the environment.</summary>
    public Task<ProcessResult> PodmanAsync(IEnumerable<string> args, TimeSpan? timeout = null) =>
        ProcessTools.RunAsync(EngineBinaries.Podman, [.. GlobalArgs, .. args], Environment, timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>Runs podman with already complete arguments (from <see cref="RunArgs"/>).</summary>
    public Task<ProcessResult> ExecAsync(IReadOnlyList<string> fullArgs, TimeSpan? timeout = null) =>
        ProcessTools.RunAsync(EngineBinaries.Podman, fullArgs, Environment, timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>
    /// conmon makes its console socket as /tmp/conmon-term.XXXXXX and unlinks it only after a runtime connected; when
    /// the runtime fails first the socket stays. Removes exactly the ones our runtime calls were given.
    /// </summary>
    private void RemoveStaleConsoleSockets()
    {
        foreach (LoggedRuntime runtime in _runtimes)
        {
            string[] words = runtime.Calls.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i + 1 < words.Length; i++)
            {
                string path = words[i + 1];
                if (words[i] == "--console-socket" && Path.GetFileName(path).StartsWith("conmon-term.", StringComparison.Ordinal) && File.Exists(path))
                {
                    File.Delete(path);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PodmanAsync(["rm", "--all", "--force", "--time", "0"], TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException)
        {
            // Cleaned up below by PID.
        }

        await ProcessTools.KillProcessesMentioningAsync(Dir);
        await ProcessTools.UnmountUnderAsync(Dir);
        ProcessTools.RemoveCgroupTree(CgroupParent);
        RemoveStaleConsoleSockets();
        await ProcessTools.DeleteTreeAsync(Dir);
    }
}
