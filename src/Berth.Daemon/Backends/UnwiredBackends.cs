using System.Runtime.CompilerServices;
using Berth.Api.Auth;
using Berth.Api.Containers;
using Berth.Api.Engine;
using Berth.Api.Exec;
using Berth.Api.Images;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Core.Progress;
using Berth.Daemon.Events;
using Berth.Daemon.Http;

namespace Berth.Daemon.Backends;

/// <summary>
/// Placeholder services for a berthd whose image and container services are not wired yet: the lists are empty and
/// every other call is 501 naming what is missing, so clients (docker version/info/ps/images) work end to end.
/// </summary>
internal sealed class UnwiredBackends : IContainerBackend, IExecBackend, IImageBackend, ISystemBackend
{
    public static DaemonBackends Create(EventBus events)
    {
        var unwired = new UnwiredBackends();
        return new DaemonBackends(unwired, unwired, unwired, unwired, events);
    }

    private static BerthException Missing(string what) => Errors.NotImplemented($"{what} is not available: the service is not wired into berthd yet");

    public Task<EngineCounts> CountsAsync(CancellationToken cancellationToken) => Task.FromResult(new EngineCounts(0, 0, 0, 0, 0));

    public Task<DiskUsageResponse> DiskUsageAsync(CancellationToken cancellationToken) => Task.FromResult(new DiskUsageResponse());

    public Task<IReadOnlyList<ContainerSummary>> ListAsync(ContainerListOptions options, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ContainerSummary>>([]);

    public Task<IReadOnlyList<ImageSummary>> ListAsync(ImageListOptions options, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ImageSummary>>([]);

    public Task<ContainerCreateResponse> CreateAsync(string? name, Platform? platform, ContainerCreateRequest request, CancellationToken cancellationToken) => throw Missing("container create");

    public Task<ContainerInspectResponse> InspectAsync(string name, bool size, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task StartAsync(string name, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task StopAsync(string name, StopOptions options, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task KillAsync(string name, string? signal, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task RestartAsync(string name, StopOptions options, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task PauseAsync(string name, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task UnpauseAsync(string name, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task<Task<ContainerWaitResponse>> WaitAsync(string name, WaitCondition condition, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task<StreamTarget> ResolveAsync(string name, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task AttachAsync(string id, AttachOptions options, Func<Task<AttachStreams>> connect, CancellationToken cancellationToken) => throw Missing("attach");

    public Task ResizeAsync(string name, int height, int width, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public IAsyncEnumerable<LogEntry> LogsAsync(string id, LogsOptions options, CancellationToken cancellationToken) => throw Missing("logs");

    public Task<ContainerTopResponse> TopAsync(string name, string? psArgs, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task RenameAsync(string name, string newName, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task RemoveAsync(string name, RemoveOptions options, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task<ContainerPruneResponse> PruneAsync(FilterSet filters, CancellationToken cancellationToken) => Task.FromResult(new ContainerPruneResponse());

    public Task<ContainerPathStat> StatPathAsync(string name, string path, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task GetArchiveAsync(string name, string path, Stream output, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task PutArchiveAsync(string name, string path, Stream input, PutArchiveOptions options, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task<IReadOnlyList<FilesystemChange>> ChangesAsync(string name, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task<ContainerStatsResponse> StatsAsync(string name, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {name}");

    public Task<string> CreateAsync(string container, ExecCreateRequest request, CancellationToken cancellationToken) => throw Errors.NotFound($"No such container: {container}");

    Task<StreamTarget> IExecBackend.ResolveAsync(string execId, CancellationToken cancellationToken) => throw Errors.NotFound($"No such exec instance: {execId}");

    public Task StartAsync(string execId, ExecStartRequest request, AttachStreams? streams, CancellationToken cancellationToken) => throw Errors.NotFound($"No such exec instance: {execId}");

    Task IExecBackend.ResizeAsync(string execId, int height, int width, CancellationToken cancellationToken) => throw Errors.NotFound($"No such exec instance: {execId}");

    public Task<ExecInspectResponse> InspectAsync(string execId, CancellationToken cancellationToken) => throw Errors.NotFound($"No such exec instance: {execId}");

    public async IAsyncEnumerable<ProgressEvent> PullAsync(ImageReference reference, Platform? platform, AuthConfig? auth, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        throw Missing("image pull");
#pragma warning disable CS0162 // an async iterator needs a yield to be one
        yield break;
#pragma warning restore CS0162
    }

    Task<ImageInspectResponse> IImageBackend.InspectAsync(string name, CancellationToken cancellationToken) => throw Errors.NotFound($"No such image: {name}");

    public Task<IReadOnlyList<ImageHistoryItem>> HistoryAsync(string name, CancellationToken cancellationToken) => throw Errors.NotFound($"No such image: {name}");

    public Task TagAsync(string source, ImageReference target, CancellationToken cancellationToken) => throw Errors.NotFound($"No such image: {source}");

    public Task<IReadOnlyList<ImageDeleteResponseItem>> DeleteAsync(string name, bool force, bool noPrune, CancellationToken cancellationToken) => throw Errors.NotFound($"No such image: {name}");

    public IAsyncEnumerable<ProgressEvent> PushAsync(ImageReference reference, AuthConfig? auth, CancellationToken cancellationToken) => throw Errors.NotFound($"No such image: {reference.FamiliarString}");

    public Task SaveAsync(IReadOnlyList<string> names, Stream output, CancellationToken cancellationToken) => throw Missing("image save");

    public IAsyncEnumerable<ProgressEvent> LoadAsync(Stream input, CancellationToken cancellationToken) => throw Missing("image load");

    Task<ImagePruneResponse> IImageBackend.PruneAsync(FilterSet filters, CancellationToken cancellationToken) => Task.FromResult(new ImagePruneResponse());

    public Task<AuthResponse> LoginAsync(AuthConfig auth, CancellationToken cancellationToken) => throw Missing("registry login");
}
