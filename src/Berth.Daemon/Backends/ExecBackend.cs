using Berth.Api.Exec;
using Berth.Daemon.Containers;

namespace Berth.Daemon.Backends;

/// <summary>The exec router's view of <see cref="ContainerService"/> (execs live and die with their container).</summary>
internal sealed class ExecBackend(ContainerService service) : IExecBackend
{
    public Task<string> CreateAsync(string container, ExecCreateRequest request, CancellationToken cancellationToken) =>
        service.CreateExecAsync(container, request, cancellationToken);

    public Task<StreamTarget> ResolveAsync(string execId, CancellationToken cancellationToken) => service.ResolveExecAsync(execId, cancellationToken);

    public Task StartAsync(string execId, ExecStartRequest request, AttachStreams? streams, CancellationToken cancellationToken) =>
        service.StartExecAsync(execId, request, streams, cancellationToken);

    public Task ResizeAsync(string execId, int height, int width, CancellationToken cancellationToken) => service.ResizeExecAsync(execId, height, width, cancellationToken);

    public Task<ExecInspectResponse> InspectAsync(string execId, CancellationToken cancellationToken) => service.InspectExecAsync(execId, cancellationToken);
}
