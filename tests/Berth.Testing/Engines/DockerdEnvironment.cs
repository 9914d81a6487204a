using System.Net.Http;
using System.Net.Sockets;

namespace Berth.Testing.Engines;

/// <summary>
/// containerd started with its own config, root, state and socket, then dockerd with its own <c>--data-root</c>,
/// <c>--exec-root</c>, <c>--pidfile</c>, <c>-H unix://…</c>, config file (trust key in the dir, not /etc/docker),
/// <c>--bridge=none --iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false</c>,
/// <c>--insecure-registry</c> for the local registry, <c>--cgroup-parent</c> of its own, and
/// <c>--add-runtime NAME=PATH</c> for each extra runtime. Clients: Debian's /usr/bin/docker (20.10), or the
/// preinstalled 28 client pinned to API 1.41 (dockerd 20.10 speaks ≤ 1.41). Dispose removes every container, stops
/// dockerd and containerd by PID, kills shims left behind by PID, unmounts, removes the cgroups and the dir.
/// </summary>
public sealed class DockerdEnvironment : IAsyncDisposable
{
    private readonly List<Daemon> _daemons = [];

    private DockerdEnvironment(string dir, LocalRegistry registry, IReadOnlyDictionary<string, LoggedRuntime> runtimes)
    {
        Dir = dir;
        Registry = registry;
        Runtimes = runtimes;
        Socket = Path.Combine(dir, "docker.sock");
        ContainerdSocket = Path.Combine(dir, "containerd.sock");
        CgroupParent = "berth-test-" + Path.GetFileName(dir);
        Client = File.Exists(EngineBinaries.DebianDockerClient) ? EngineBinaries.DebianDockerClient : EngineBinaries.PreinstalledDockerClient;
        var environment = new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = "unix://" + Socket,
            ["DOCKER_CONFIG"] = Path.Combine(dir, "docker-config"),
        };
        if (Client == EngineBinaries.PreinstalledDockerClient)
        {
            environment["DOCKER_API_VERSION"] = "1.41";
        }

        Environment = environment;
    }

    public string Dir { get; }

    public LocalRegistry Registry { get; }

    /// <summary>The extra runtimes by name (<c>--add-runtime NAME=wrapper</c>); each logs its calls.</summary>
    public IReadOnlyDictionary<string, LoggedRuntime> Runtimes { get; }

    public string Socket { get; }

    public string ContainerdSocket { get; }

    public string CgroupParent { get; }

    /// <summary>The docker client binary used.</summary>
    public string Client { get; }

    /// <summary>DOCKER_HOST, DOCKER_CONFIG (and DOCKER_API_VERSION for the 28 client).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>dockerd's and containerd's logs without their info/debug lines, for failure messages.</summary>
    public string Logs => string.Join("\n", _daemons.Select(d => $"--- {d.Name} ({d.LogPath}, warnings and errors) ---\n{Important(d.Log)}"));

    /// <param name="runtimes">Extra runtimes: name → binary path (wrapped in a <see cref="LoggedRuntime"/>).</param>
    public static async Task<DockerdEnvironment> StartAsync(LocalRegistry registry, IReadOnlyDictionary<string, string> runtimes)
    {
        // Short: unix socket paths (containerd's, dockerd's, the shims') must stay under 108 bytes.
        string dir = Directory.CreateTempSubdirectory("berth-dk-").FullName;
        var wrapped = runtimes.ToDictionary(kv => kv.Key, kv => LoggedRuntime.Create(kv.Value, Path.Combine(dir, "wrappers", kv.Key)));
        var env = new DockerdEnvironment(dir, registry, wrapped);
        try
        {
            await env.StartDaemonsAsync();
            return env;
        }
        catch
        {
            await env.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>docker ARGS...</c> against this daemon.</summary>
    public Task<ProcessResult> DockerAsync(IEnumerable<string> args, TimeSpan? timeout = null) =>
        ProcessTools.RunAsync(Client, args, Environment, timeout ?? TimeSpan.FromMinutes(2));

    public async ValueTask DisposeAsync()
    {
        Daemon? dockerd = _daemons.FirstOrDefault(d => d.Name == "dockerd");
        if (dockerd is { HasExited: false })
        {
            try
            {
                ProcessResult ps = await DockerAsync(["ps", "-aq"], TimeSpan.FromSeconds(30));
                string[] ids = ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (ids.Length > 0)
                {
                    await DockerAsync(["rm", "-f", .. ids], TimeSpan.FromMinutes(1));
                }
            }
            catch (TimeoutException)
            {
                // Cleaned up below by PID.
            }
        }

        // dockerd first (it stops its containers), then containerd.
        foreach (Daemon daemon in Enumerable.Reverse(_daemons))
        {
            await daemon.DisposeAsync();
        }

        await ProcessTools.KillProcessesMentioningAsync(Dir);
        await ProcessTools.UnmountUnderAsync(Dir);
        ProcessTools.RemoveCgroupTree(CgroupParent);
        await ProcessTools.DeleteTreeAsync(Dir);
    }

    private async Task StartDaemonsAsync()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "docker-config"));
        await File.WriteAllTextAsync(Path.Combine(Dir, "docker-config", "config.json"), """{"auths":{}}""");
        string containerdConfig = Path.Combine(Dir, "containerd.toml");
        await File.WriteAllTextAsync(containerdConfig, $"""
            version = 2
            root = "{Path.Combine(Dir, "containerd-root")}"
            state = "{Path.Combine(Dir, "containerd-state")}"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{ContainerdSocket}"
            [ttrpc]
              address = "{ContainerdSocket}.ttrpc"
            """);
        Daemon containerd = Daemon.Start("containerd", EngineBinaries.Containerd, ["--config", containerdConfig], Path.Combine(Dir, "containerd.log"));
        _daemons.Add(containerd);
        await containerd.WaitUntilAsync(() => ConnectsAsync(ContainerdSocket), TimeSpan.FromSeconds(30));

        string daemonJson = Path.Combine(Dir, "daemon.json");
        await File.WriteAllTextAsync(daemonJson, $$"""{"deprecated-key-path": "{{Path.Combine(Dir, "key.json")}}"}""");
        List<string> args =
        [
            "--config-file", daemonJson,
            "--containerd", ContainerdSocket,
            "--data-root", Path.Combine(Dir, "data"),
            "--exec-root", Path.Combine(Dir, "exec"),
            "--pidfile", Path.Combine(Dir, "dockerd.pid"),
            "-H", "unix://" + Socket,
            "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--userland-proxy=false",
            "--exec-opt", "native.cgroupdriver=cgroupfs",
            "--cgroup-parent", "/" + CgroupParent,
            "--insecure-registry", Registry.Address,
        ];
        foreach ((string name, LoggedRuntime runtime) in Runtimes)
        {
            args.Add("--add-runtime");
            args.Add($"{name}={runtime.Path}");
        }

        Daemon dockerd = Daemon.Start("dockerd", EngineBinaries.Dockerd, args, Path.Combine(Dir, "dockerd.log"));
        _daemons.Add(dockerd);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { Timeout = TimeSpan.FromSeconds(2) };
        await dockerd.WaitUntilAsync(
            async () =>
            {
                try
                {
                    using HttpResponseMessage response = await http.GetAsync(new Uri("http://docker/_ping"));
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60));
    }

    private static string Important(string log) =>
        string.Join('\n', log.Split('\n').Where(l => !l.Contains("level=info", StringComparison.Ordinal) && !l.Contains("level=debug", StringComparison.Ordinal)));

    private static async Task<bool> ConnectsAsync(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }

        try
        {
            using var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
