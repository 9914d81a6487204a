using System.Runtime.InteropServices;
using Berth.Daemon.Backends;
using Berth.Daemon.Configuration;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Daemon.Routers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Daemon;

/// <summary>
/// berthd's server: Kestrel on the configured sockets, the routers over the given backends. The entry point for
/// <c>berthd</c> and for tests that want a real server in-process:
/// <code>
/// await using DaemonHost host = await DaemonHost.StartAsync(settings, backends, new DaemonHostOptions());
/// // ... HTTP over host.SocketPaths[0] ...
/// await host.StopAsync();
/// </code>
/// </summary>
internal sealed class DaemonHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PidFile? _pidFile;
    private readonly IReadOnlyList<string> _socketPaths;
    private int _stopped;
    private PosixSignalRegistration[] _signals = [];

    private DaemonHost(WebApplication app, PidFile? pidFile, IReadOnlyList<string> socketPaths)
    {
        _app = app;
        _pidFile = pidFile;
        _socketPaths = socketPaths;
    }

    /// <summary>The Unix socket paths being served.</summary>
    public IReadOnlyList<string> SocketPaths => _socketPaths;

    /// <summary>Cancelled when shutdown begins (SIGTERM/SIGINT under the console lifetime, or <see cref="StopAsync"/>).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public static async Task<DaemonHost> StartAsync(DaemonSettings settings, DaemonBackends backends, DaemonHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(options);
        List<ListenAddress> addresses = [.. settings.Hosts.Select(ListenAddress.Parse)];
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        ConfigureLogging(builder.Logging, settings.LogLevel, options);
        // Signals are handled below, explicitly, so an in-process host in a test never reacts to them.
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        ILogger startupLog = LoggerFactory.Create(l => ConfigureLogging(l, settings.LogLevel, options)).CreateLogger("berthd");
        var socketPaths = new List<string>();
        foreach (ListenAddress address in addresses.Where(a => a.IsUnix))
        {
            if (UnixSocketGuard.PrepareAndCheckStale(address.Path))
            {
                DaemonLog.StaleSocketRemoved(startupLog, address.Path);
            }

            socketPaths.Add(address.Path);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;        // image load and archive PUT stream gigabytes
            kestrel.Limits.MinRequestBodyDataRate = null;    // attach stdin is idle for minutes
            kestrel.Limits.MinResponseDataRate = null;       // so are logs -f and events
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            foreach (ListenAddress address in addresses)
            {
                Action<ListenOptions> configure = listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listen.Use(UpgradeBody.ConnectionMiddleware);
                };
                if (address.IsUnix)
                {
                    kestrel.ListenUnixSocket(address.Path, configure);
                }
                else
                {
                    DaemonLog.InsecureTcp(startupLog, address.ToString());
                    kestrel.Listen(System.Net.IPAddress.Parse(address.Host == "localhost" ? "127.0.0.1" : address.Host), address.Port, configure);
                }
            }
        });

        WebApplication app = builder.Build();
        var table = new ApiRouteTable();
        foreach (IApiRouter router in CreateRouters(settings, backends, options))
        {
            router.Map(table);
        }

        var dispatcher = new ApiDispatcher(table, app.Services.GetRequiredService<ILogger<ApiDispatcher>>(), app.Lifetime.ApplicationStopping);
        app.Run(dispatcher.InvokeAsync);

        PidFile? pidFile = options.WritePidFile && settings.PidFile is not null ? PidFile.Create(settings.PidFile) : null;
        try
        {
            await app.StartAsync(cancellationToken);
            foreach (string path in socketPaths)
            {
                if (!UnixSocketGuard.SetPermissions(path, settings.SocketGroup))
                {
                    DaemonLog.SocketGroupMissing(startupLog, settings.SocketGroup, path);
                }
            }
        }
        catch
        {
            pidFile?.Dispose();
            await app.DisposeAsync();
            throw;
        }

        foreach (ListenAddress address in addresses)
        {
            DaemonLog.Listening(startupLog, address.ToString());
        }

        DaemonLog.Started(startupLog, DaemonIdentity.Version, Berth.Api.ApiVersions.Maximum);
        var host = new DaemonHost(app, pidFile, socketPaths);
        if (options.HandleSignals)
        {
            host._signals =
            [
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, host.OnSignal),
                PosixSignalRegistration.Create(PosixSignal.SIGINT, host.OnSignal),
            ];
        }

        return host;
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Not the default action (exit now): stop accepting, end streams, clean up, then exit 0.
        context.Cancel = true;
        _app.Lifetime.StopApplication();
    }

    internal static IEnumerable<IApiRouter> CreateRouters(DaemonSettings settings, DaemonBackends backends, DaemonHostOptions options)
    {
        var host = new HostFacts(options.ProcRoot);
        string engineId = EngineId.LoadOrCreate(settings.DataRoot);
        yield return new SystemRouter(backends.System, backends.Events, settings, host, engineId, options.Time);
        yield return new ImagesRouter(backends.Images);
        yield return new ContainersRouter(backends.Containers, backends.Exec, options.Time);
        yield return new ExecRouter(backends.Exec);
    }

    /// <summary>Completes when the host has been told to stop (by a signal or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting, cancels streams, waits for handlers (bounded), removes the sockets and the pid file.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        DaemonLog.ShuttingDown(_app.Services.GetRequiredService<ILogger<DaemonHost>>());
        await _app.StopAsync(cancellationToken);
        foreach (string path in _socketPaths)
        {
            File.Delete(path);
        }

        _pidFile?.Dispose();
        foreach (PosixSignalRegistration signal in _signals)
        {
            signal.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level, DaemonHostOptions options)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        if (options.ConfigureLogging is not null)
        {
            options.ConfigureLogging(logging);
            return;
        }

        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
