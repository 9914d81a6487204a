using System.CommandLine;
using Berth.Core.Errors;
using Berth.Daemon.Backends;
using Berth.Daemon.Composition;
using Berth.Daemon.Configuration;
using Berth.Daemon.Containers;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Linux;

namespace Berth.Daemon;

/// <summary>berthd's command line: dockerd's flags where they apply; flags override daemon.json.</summary>
internal static class DaemonCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var hosts = new Option<string[]>("--host", "-H") { Description = "Daemon socket(s) to listen on (unix:///path or tcp://host:port)", AllowMultipleArgumentsPerToken = false };
        var configFile = new Option<string?>("--config-file") { Description = "Daemon configuration file (default " + DaemonSettings.DefaultConfigFile + ")" };
        var dataRoot = new Option<string?>("--data-root") { Description = "Root directory of persistent state (default /var/lib/berth)" };
        var execRoot = new Option<string?>("--exec-root") { Description = "Root directory for execution state files (default /run/berth)" };
        var insecure = new Option<string[]>("--insecure-registry") { Description = "Registries (host:port or CIDR) reached over plain HTTP or unverified TLS" };
        var logLevel = new Option<string?>("--log-level", "-l") { Description = "Logging level: debug, info, warn, error, fatal" };
        var pidFile = new Option<string?>("--pidfile", "-p") { Description = "Path to the daemon's pid file (default /run/berth/berthd.pid)" };
        var group = new Option<string?>("--group", "-G") { Description = "Group for the Unix socket (default berth)" };
        var command = new RootCommand("berthd: a container engine serving the Docker Engine API")
        {
            hosts, configFile, dataRoot, execRoot, insecure, logLevel, pidFile, group,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                string? file = parse.GetValue(configFile);
                DaemonSettings settings = DaemonConfigLoader.Load(file ?? DaemonSettings.DefaultConfigFile, mustExist: file is not null);
                string[] hostValues = parse.GetValue(hosts) ?? [];
                string[] insecureValues = parse.GetValue(insecure) ?? [];
                string? level = parse.GetValue(logLevel);
                settings = settings with
                {
                    Hosts = hostValues.Length > 0 ? hostValues : settings.Hosts,
                    DataRoot = parse.GetValue(dataRoot) ?? settings.DataRoot,
                    ExecRoot = parse.GetValue(execRoot) ?? settings.ExecRoot,
                    InsecureRegistries = [.. settings.InsecureRegistries, .. insecureValues],
                    LogLevel = level is null ? settings.LogLevel : DaemonConfigLoader.ParseLogLevel(level),
                    PidFile = parse.GetValue(pidFile) ?? settings.PidFile,
                    SocketGroup = parse.GetValue(group) ?? settings.SocketGroup,
                };
                return await ServeAsync(settings, cancellationToken);
            }
            catch (BerthException ex)
            {
                await Console.Error.WriteLineAsync("berthd: " + ex.Message);
                return 1;
            }
        });
        // berthd handles SIGTERM/SIGINT itself (DaemonHost) to shut down cleanly, not by the parser's 2 s timeout.
        return await command.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static async Task<int> ServeAsync(DaemonSettings settings, CancellationToken cancellationToken)
    {
        var events = new EventBus();
        using ILoggerFactory logging = LoggerFactory.Create(builder => builder.SetMinimumLevel(settings.LogLevel).AddSimpleConsole(o => o.SingleLine = true));
        // First, before anything is written there; last to go, after the engine has let its containers go.
        using ExecRootFileSystem execRoot = ExecRootFileSystem.Prepare(settings.ExecRoot, new ContainerPaths(settings.DataRoot, settings.ExecRoot).ShimDirectories,
            new LinuxSyscalls(), FileSystemOps.FileSystemType, () => File.ReadLines("/proc/self/mountinfo"), logging.CreateLogger("berthd"));
        await using EngineServices engine = await EngineServices.StartAsync(
            settings, events, logging.CreateLogger("berthd"), cancellationToken);
        await using DaemonHost host = await DaemonHost.StartAsync(settings, engine.Backends, new DaemonHostOptions { HandleSignals = true, WritePidFile = true }, cancellationToken);
        await host.WaitForShutdownAsync(CancellationToken.None);
        return 0;
    }
}
