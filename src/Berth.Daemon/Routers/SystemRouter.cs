using System.Globalization;
using System.Runtime.InteropServices;
using Berth.Api;
using Berth.Api.Engine;
using Berth.Api.Json;
using Berth.Daemon.Backends;
using Berth.Daemon.Configuration;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;

namespace Berth.Daemon.Routers;

/// <summary><c>/_ping</c>, <c>/version</c>, <c>/info</c>, <c>/events</c>, <c>/system/df</c>.</summary>
internal sealed class SystemRouter(ISystemBackend backend, EventBus events, DaemonSettings settings, HostFacts host, string engineId, TimeProvider time) : IApiRouter
{
    public void Map(ApiRouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.Get("/_ping", PingAsync);
        routes.Head("/_ping", PingAsync);
        routes.Get("/version", VersionAsync);
        routes.Get("/info", InfoAsync);
        routes.Get("/events", EventsAsync);
        routes.Get("/system/df", DiskUsageAsync);
    }

    private static async Task PingAsync(ApiRequest request)
    {
        IHeaderDictionary headers = request.Response.Headers;
        headers.CacheControl = "no-cache, no-store, must-revalidate";
        headers.Pragma = "no-cache";
        headers["Docker-Experimental"] = "false";
        headers["Builder-Version"] = "1";
        headers["Swarm"] = "inactive";
        request.Response.ContentType = "text/plain; charset=utf-8";
        if (HttpMethods.IsGet(request.Context.Request.Method))
        {
            await request.Response.WriteAsync("OK", request.Aborted);
        }
        else
        {
            request.Response.ContentLength = 0;
        }
    }

    private Task VersionAsync(ApiRequest request) => request.WriteJsonAsync(BuildVersion(), ApiJsonContext.Default.VersionResponse);

    internal VersionResponse BuildVersion()
    {
        string buildTime = RfcTimeConverter.Format(File.GetLastWriteTimeUtc(Environment.ProcessPath ?? AppContext.BaseDirectory));
        var details = new Dictionary<string, string>
        {
            ["ApiVersion"] = ApiVersions.Maximum,
            ["Arch"] = HostFacts.GoArch,
            ["BuildTime"] = buildTime,
            ["Experimental"] = "false",
            ["GitCommit"] = DaemonIdentity.GitCommit,
            ["GoVersion"] = RuntimeInformation.FrameworkDescription,
            ["KernelVersion"] = host.KernelVersion,
            ["MinAPIVersion"] = ApiVersions.Minimum,
            ["Os"] = "linux",
        };
        return new VersionResponse
        {
            Platform = new ComponentVersion { Name = DaemonIdentity.PlatformName },
            Components =
            [
                new ComponentVersion { Name = "Engine", Version = DaemonIdentity.Version, Details = details },
                new ComponentVersion
                {
                    Name = settings.DefaultRuntime,
                    Version = DaemonIdentity.Version,
                    Details = new Dictionary<string, string> { ["GitCommit"] = DaemonIdentity.GitCommit },
                },
            ],
            Version = DaemonIdentity.Version,
            ApiVersion = ApiVersions.Maximum,
            MinApiVersion = ApiVersions.Minimum,
            GitCommit = DaemonIdentity.GitCommit,
            GoVersion = RuntimeInformation.FrameworkDescription,
            Os = "linux",
            Arch = HostFacts.GoArch,
            KernelVersion = host.KernelVersion,
            BuildTime = buildTime,
        };
    }

    private async Task InfoAsync(ApiRequest request)
    {
        EngineCounts counts = await backend.CountsAsync(request.Aborted);
        await request.WriteJsonAsync(BuildInfo(counts), ApiJsonContext.Default.SystemInfo);
    }

    internal SystemInfo BuildInfo(EngineCounts counts)
    {
        bool cgroup2 = host.CgroupVersion == "2";
        var indexConfigs = new Dictionary<string, IndexInfo>
        {
            ["docker.io"] = new IndexInfo { Name = "docker.io", Mirrors = settings.RegistryMirrors, Secure = true, Official = true },
        };
        foreach (string registry in settings.InsecureRegistries.Where(r => !r.Contains('/', StringComparison.Ordinal)))
        {
            indexConfigs[registry] = new IndexInfo { Name = registry, Secure = false };
        }

        return new SystemInfo
        {
            Id = engineId,
            Containers = counts.Containers,
            ContainersRunning = counts.Running,
            ContainersPaused = counts.Paused,
            ContainersStopped = counts.Stopped,
            Images = counts.Images,
            Driver = settings.StorageDriver,
            DriverStatus = [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Using metacopy", "false"], ["Native Overlay Diff", "true"]],
            DockerRootDir = settings.DataRoot,
            Plugins = new PluginsInfo { Volume = ["local"], Network = ["bridge", "host", "none"], Log = ["json-file"] },
            MemoryLimit = true,
            SwapLimit = cgroup2,
            CpuCfsPeriod = true,
            CpuCfsQuota = true,
            CpuShares = true,
            CpuSet = true,
            PidsLimit = true,
            OomKillDisable = !cgroup2,
            IPv4Forwarding = File.Exists("/proc/sys/net/ipv4/ip_forward") && File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim() == "1",
            Debug = settings.LogLevel <= LogLevel.Debug,
            NFd = host.OpenFileDescriptors,
            NGoroutines = ThreadPool.ThreadCount,
            SystemTime = time.GetLocalNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture),
            LoggingDriver = "json-file",
            CgroupDriver = "cgroupfs",
            CgroupVersion = host.CgroupVersion,
            NEventsListener = events.ListenerCount,
            KernelVersion = host.KernelVersion,
            OperatingSystem = host.OperatingSystem,
            OSVersion = host.OsVersion,
            OSType = "linux",
            Architecture = HostFacts.UnameMachine,
            RegistryConfig = new RegistryServiceConfig
            {
                InsecureRegistryCIDRs = ["::1/128", "127.0.0.0/8", .. settings.InsecureRegistries.Where(r => r.Contains('/', StringComparison.Ordinal))],
                IndexConfigs = indexConfigs,
                Mirrors = settings.RegistryMirrors,
            },
            NCPU = HostFacts.CpuCount,
            MemTotal = host.MemoryTotal,
            HttpProxy = Environment.GetEnvironmentVariable("HTTP_PROXY") ?? "",
            HttpsProxy = Environment.GetEnvironmentVariable("HTTPS_PROXY") ?? "",
            NoProxy = Environment.GetEnvironmentVariable("NO_PROXY") ?? "",
            Name = host.Hostname,
            ServerVersion = DaemonIdentity.Version,
            Runtimes = new Dictionary<string, RuntimeInfo> { [settings.DefaultRuntime] = new RuntimeInfo { Path = settings.DefaultRuntime } },
            DefaultRuntime = settings.DefaultRuntime,
            Swarm = new SwarmInfo(),
            Isolation = "",
            InitBinary = "",
            ContainerdCommit = new CommitInfo(),
            RuncCommit = new CommitInfo { Id = DaemonIdentity.GitCommit },
            InitCommit = new CommitInfo(),
            SecurityOptions = ["name=seccomp,profile=builtin", .. cgroup2 ? new[] { "name=cgroupns" } : []],
        };
    }

    private async Task EventsAsync(ApiRequest request)
    {
        FilterSet filters = request.QueryFilters();
        ApiRequest.ValidateFilters(filters, EventFilter.Keys);
        var filter = new EventFilter(filters);
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset? since = Timestamps.Parse(request.Query("since"), now);
        DateTimeOffset? until = Timestamps.Parse(request.Query("until"), now);
        if (since is not null && until is not null && since > until)
        {
            throw Core.Errors.Errors.InvalidArgument("`since` time must be before `until` time");
        }

        using EventSubscription subscription = events.Subscribe();
        var writer = new JsonLinesWriter(request.Response);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentType = "application/json";
        await request.Response.StartAsync(request.Aborted);
        await request.Response.Body.FlushAsync(request.Aborted);
        foreach (DaemonEvent past in subscription.History)
        {
            if (since is not null && past.Time >= since && (until is null || past.Time <= until) && filter.Matches(past))
            {
                await writer.WriteAsync(ToMessage(past), ApiJsonContext.Default.EventMessage, request.Aborted);
            }
        }

        using var untilTimer = new CancellationTokenSource();
        if (until is not null)
        {
            TimeSpan remaining = until.Value - now;
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            untilTimer.CancelAfter(remaining);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted, untilTimer.Token);
        try
        {
            await foreach (DaemonEvent live in subscription.Live.ReadAllAsync(linked.Token))
            {
                if ((until is null || live.Time <= until) && filter.Matches(live))
                {
                    await writer.WriteAsync(ToMessage(live), ApiJsonContext.Default.EventMessage, linked.Token);
                }
            }
        }
        catch (OperationCanceledException) when (untilTimer.IsCancellationRequested && !request.Aborted.IsCancellationRequested)
        {
            // Reached "until": the stream ends normally.
        }
    }

    internal static EventMessage ToMessage(DaemonEvent e)
    {
        bool legacy = e.Type is "container" or "image";
        long nanos = (e.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return new EventMessage
        {
            Status = legacy ? e.Action : null,
            Id = legacy ? e.ActorId : null,
            From = e.Type == "container" ? e.Attributes.GetValueOrDefault("image") : null,
            Type = e.Type,
            Action = e.Action,
            Actor = new EventActor { Id = e.ActorId, Attributes = new Dictionary<string, string>(e.Attributes) },
            Scope = "local",
            Time = e.Time.ToUnixTimeSeconds(),
            TimeNano = nanos,
        };
    }

    private async Task DiskUsageAsync(ApiRequest request) =>
        await request.WriteJsonAsync(await backend.DiskUsageAsync(request.Aborted), ApiJsonContext.Default.DiskUsageResponse);
}
