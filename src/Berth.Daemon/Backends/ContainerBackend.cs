using Berth.Api.Containers;
using Berth.Core.Images;
using Berth.Daemon.Containers;
using Berth.Daemon.Http;

namespace Berth.Daemon.Backends;

/// <summary>The containers router's view of <see cref="ContainerService"/>.</summary>
internal sealed class ContainerBackend(ContainerService service) : IContainerBackend
{
    public Task<ContainerCreateResponse> CreateAsync(string? name, Platform? platform, ContainerCreateRequest request, CancellationToken cancellationToken) =>
        service.CreateAsync(name, request, cancellationToken);

    public Task<IReadOnlyList<ContainerSummary>> ListAsync(ContainerListOptions options, CancellationToken cancellationToken) => service.ListAsync(options, cancellationToken);

    public Task<ContainerInspectResponse> InspectAsync(string name, bool size, CancellationToken cancellationToken) => service.InspectAsync(name, size, cancellationToken);

    public Task StartAsync(string name, CancellationToken cancellationToken) => service.StartAsync(name, cancellationToken);

    public Task StopAsync(string name, StopOptions options, CancellationToken cancellationToken) => service.StopAsync(name, options, cancellationToken);

    public Task KillAsync(string name, string? signal, CancellationToken cancellationToken) => service.KillAsync(name, signal, cancellationToken);

    public Task RestartAsync(string name, StopOptions options, CancellationToken cancellationToken) => service.RestartAsync(name, options, cancellationToken);

    public Task PauseAsync(string name, CancellationToken cancellationToken) => service.PauseAsync(name, cancellationToken);

    public Task UnpauseAsync(string name, CancellationToken cancellationToken) => service.UnpauseAsync(name, cancellationToken);

    public Task<Task<ContainerWaitResponse>> WaitAsync(string name, WaitCondition condition, CancellationToken cancellationToken) => service.WaitAsync(name, condition, cancellationToken);

    public Task<StreamTarget> ResolveAsync(string name, CancellationToken cancellationToken) => service.ResolveAsync(name, cancellationToken);

    public Task AttachAsync(string id, AttachOptions options, Func<Task<AttachStreams>> connect, CancellationToken cancellationToken) => service.AttachAsync(id, options, connect, cancellationToken);

    public Task ResizeAsync(string name, int height, int width, CancellationToken cancellationToken) => service.ResizeAsync(name, height, width, cancellationToken);

    public IAsyncEnumerable<LogEntry> LogsAsync(string id, LogsOptions options, CancellationToken cancellationToken) => service.LogsAsync(id, options, cancellationToken);

    public Task<ContainerTopResponse> TopAsync(string name, string? psArgs, CancellationToken cancellationToken) => service.TopAsync(name, psArgs, cancellationToken);

    public Task RenameAsync(string name, string newName, CancellationToken cancellationToken) => service.RenameAsync(name, newName, cancellationToken);

    public Task RemoveAsync(string name, RemoveOptions options, CancellationToken cancellationToken) => service.RemoveAsync(name, options, cancellationToken);

    public Task<ContainerPruneResponse> PruneAsync(FilterSet filters, CancellationToken cancellationToken) => service.PruneAsync(filters, cancellationToken);

    public Task<ContainerPathStat> StatPathAsync(string name, string path, CancellationToken cancellationToken) => service.StatPathAsync(name, path, cancellationToken);

    public Task GetArchiveAsync(string name, string path, Stream output, CancellationToken cancellationToken) => service.GetArchiveAsync(name, path, output, cancellationToken);

    public Task PutArchiveAsync(string name, string path, Stream input, PutArchiveOptions options, CancellationToken cancellationToken) =>
        service.PutArchiveAsync(name, path, input, options, cancellationToken);

    public Task<IReadOnlyList<FilesystemChange>> ChangesAsync(string name, CancellationToken cancellationToken) => service.ChangesAsync(name, cancellationToken);

    public Task<ContainerStatsResponse> StatsAsync(string name, CancellationToken cancellationToken) => service.StatsAsync(name, cancellationToken);
}
