using Berth.Api.Exec;

namespace Berth.Daemon.Backends;

/// <summary>Processes run in a running container (<c>docker exec</c>); exec IDs are their own namespace.</summary>
internal interface IExecBackend
{
    /// <summary>Creates an exec in container <paramref name="container"/>; Conflict if it is not running.</summary>
    Task<string> CreateAsync(string container, ExecCreateRequest request, CancellationToken cancellationToken);

    /// <summary>Finds an exec ("No such exec instance: id" as NotFound) and whether it runs with a TTY.</summary>
    Task<StreamTarget> ResolveAsync(string execId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the exec. Detached (<paramref name="streams"/> null): returns once started. Attached: returns when the
    /// process exited and its output is drained, or the client is gone.
    /// </summary>
    Task StartAsync(string execId, ExecStartRequest request, AttachStreams? streams, CancellationToken cancellationToken);

    Task ResizeAsync(string execId, int height, int width, CancellationToken cancellationToken);

    Task<ExecInspectResponse> InspectAsync(string execId, CancellationToken cancellationToken);
}
