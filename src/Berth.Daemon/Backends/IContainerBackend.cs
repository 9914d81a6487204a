using Berth.Api.Containers;
using Berth.Core.Images;
using Berth.Daemon.Http;

namespace Berth.Daemon.Backends;

/// <summary>
/// The container service as the containers router calls it. <c>name</c> is a name, a full ID or a unique ID prefix;
/// an unknown one is NotFound "No such container: x". State errors follow Docker: start of a running container and
/// stop of a stopped one are NotModified (304); removing a running one without force is Conflict.
/// </summary>
internal interface IContainerBackend
{
    Task<ContainerCreateResponse> CreateAsync(string? name, Platform? platform, ContainerCreateRequest request, CancellationToken cancellationToken);

    Task<IReadOnlyList<ContainerSummary>> ListAsync(ContainerListOptions options, CancellationToken cancellationToken);

    Task<ContainerInspectResponse> InspectAsync(string name, bool size, CancellationToken cancellationToken);

    Task StartAsync(string name, CancellationToken cancellationToken);

    Task StopAsync(string name, StopOptions options, CancellationToken cancellationToken);

    Task KillAsync(string name, string? signal, CancellationToken cancellationToken);

    Task RestartAsync(string name, StopOptions options, CancellationToken cancellationToken);

    Task PauseAsync(string name, CancellationToken cancellationToken);

    Task UnpauseAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Registers a wait: the outer task completes once the container is found and the wait armed (so a start sent
    /// right after cannot be missed), the inner one when the condition is met.
    /// </summary>
    Task<Task<ContainerWaitResponse>> WaitAsync(string name, WaitCondition condition, CancellationToken cancellationToken);

    /// <summary>Resolves a container for attach/logs: its ID and whether it has a TTY (raw stream, not multiplexed).</summary>
    Task<StreamTarget> ResolveAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Connects the given streams to the container until its output ends, the client detaches (detach keys on stdin)
    /// or <paramref name="cancellationToken"/> fires (client gone). Stdin reads 0 when the client half-closes.
    /// </summary>
    /// <remarks>The backend arms the attach first (so a start sent as soon as the client sees the switch cannot be
    /// missed), then calls <paramref name="connect"/> to switch protocols and get the client's streams.</remarks>
    Task AttachAsync(string id, AttachOptions options, Func<Task<AttachStreams>> connect, CancellationToken cancellationToken);

    Task ResizeAsync(string name, int height, int width, CancellationToken cancellationToken);

    IAsyncEnumerable<LogEntry> LogsAsync(string id, LogsOptions options, CancellationToken cancellationToken);

    Task<ContainerTopResponse> TopAsync(string name, string? psArgs, CancellationToken cancellationToken);

    Task RenameAsync(string name, string newName, CancellationToken cancellationToken);

    Task RemoveAsync(string name, RemoveOptions options, CancellationToken cancellationToken);

    Task<ContainerPruneResponse> PruneAsync(FilterSet filters, CancellationToken cancellationToken);

    /// <summary>Stats a path in the container's filesystem, resolved inside its rootfs (never outside).</summary>
    Task<ContainerPathStat> StatPathAsync(string name, string path, CancellationToken cancellationToken);

    /// <summary>Writes a tar of <paramref name="path"/> (as <c>docker cp</c> reads it) to <paramref name="output"/>.</summary>
    Task GetArchiveAsync(string name, string path, Stream output, CancellationToken cancellationToken);

    /// <summary>Extracts the tar in <paramref name="input"/> into directory <paramref name="path"/> of the container.</summary>
    Task PutArchiveAsync(string name, string path, Stream input, PutArchiveOptions options, CancellationToken cancellationToken);

    Task<IReadOnlyList<FilesystemChange>> ChangesAsync(string name, CancellationToken cancellationToken);

    Task<ContainerStatsResponse> StatsAsync(string name, CancellationToken cancellationToken);
}
