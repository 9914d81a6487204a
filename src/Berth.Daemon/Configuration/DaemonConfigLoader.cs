using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Daemon.Configuration;

/// <summary>Reads daemon.json and overlays it on the defaults; a missing default file is fine, a missing named one is not.</summary>
internal static class DaemonConfigLoader
{
    public static DaemonSettings Load(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            return mustExist ? throw Errors.NotFound($"unable to configure the daemon: open {path}: no such file or directory") : new DaemonSettings();
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return new DaemonSettings();
        }

        DaemonConfigFile file;
        try
        {
            file = JsonSerializer.Deserialize(bytes, DaemonJsonContext.Default.DaemonConfigFile) ?? new DaemonConfigFile();
        }
        catch (JsonException ex)
        {
            throw Errors.InvalidArgument($"unable to configure the daemon with file {path}: {ex.Message}");
        }

        return Apply(new DaemonSettings(), file);
    }

    public static DaemonSettings Apply(DaemonSettings settings, DaemonConfigFile file)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(file);
        return settings with
        {
            Hosts = file.Hosts is { Count: > 0 } ? file.Hosts : settings.Hosts,
            DataRoot = file.DataRoot ?? settings.DataRoot,
            ExecRoot = file.ExecRoot ?? settings.ExecRoot,
            PidFile = file.PidFile ?? settings.PidFile,
            SocketGroup = file.Group ?? settings.SocketGroup,
            InsecureRegistries = file.InsecureRegistries ?? settings.InsecureRegistries,
            RegistryMirrors = file.RegistryMirrors ?? settings.RegistryMirrors,
            MaxConcurrentDownloads = file.MaxConcurrentDownloads ?? settings.MaxConcurrentDownloads,
            LogLevel = file.LogLevel is null ? settings.LogLevel : ParseLogLevel(file.LogLevel),
            LogOpts = file.LogOpts ?? settings.LogOpts,
            DefaultUlimits = file.DefaultUlimits ?? settings.DefaultUlimits,
            StorageDriver = file.StorageDriver ?? settings.StorageDriver,
            DefaultRuntime = file.DefaultRuntime ?? settings.DefaultRuntime,
        };
    }

    /// <summary>dockerd's levels: debug, info, warn, error, fatal.</summary>
    public static LogLevel ParseLogLevel(string value) => value.ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Information,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" or "PANIC" => LogLevel.Critical,
        _ => throw Errors.InvalidArgument($"unable to parse logging level: {value}"),
    };
}
