namespace Berth.Daemon;

/// <summary>berthd's log messages, with stable event IDs.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(1, LogLevel.Information, "API listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(2, LogLevel.Warning, "Binding to a TCP address without TLS: anyone who can reach {Endpoint} has root on this host")]
    public static partial void InsecureTcp(ILogger logger, string endpoint);

    [LoggerMessage(3, LogLevel.Information, "Removed stale socket {Path}")]
    public static partial void StaleSocketRemoved(ILogger logger, string path);

    [LoggerMessage(4, LogLevel.Information, "Daemon shutting down")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(5, LogLevel.Information, "Daemon has completed initialization (version {Version}, API {ApiVersion})")]
    public static partial void Started(ILogger logger, string version, string apiVersion);

    [LoggerMessage(10, LogLevel.Error, "Handler for {Method} {Path} returned error {Status}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, int status, Exception exception);

    [LoggerMessage(11, LogLevel.Debug, "Handler for {Method} {Path} returned error {Status}: {Message}")]
    public static partial void RequestRejected(ILogger logger, string method, string path, int status, string message);

    [LoggerMessage(12, LogLevel.Debug, "Client closed {Method} {Path}")]
    public static partial void ClientGone(ILogger logger, string method, string path);

    [LoggerMessage(13, LogLevel.Warning, "Socket group {Group} not found; leaving {Path} owned by root")]
    public static partial void SocketGroupMissing(ILogger logger, string group, string path);

    [LoggerMessage(14, LogLevel.Information, "Mounted a tmpfs on exec-root {Path}: it was on a disk filesystem")]
    public static partial void ExecRootMounted(ILogger logger, string path);

    [LoggerMessage(15, LogLevel.Warning, "Exec-root {Path} is on a disk filesystem and {Reason}: its runtime state goes to disk and may outlive a reboot")]
    public static partial void ExecRootOnDisk(ILogger logger, string path, string reason);

    [LoggerMessage(16, LogLevel.Information, "Left the tmpfs on exec-root {Path} mounted: {Reason}")]
    public static partial void ExecRootKept(ILogger logger, string path, string reason);
}
