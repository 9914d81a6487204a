using Berth.Api.Engine;
using Berth.Core.Images;
using Berth.Daemon.Containers;

namespace Berth.Daemon.Backends;

/// <summary>Counts and disk usage for <c>docker info</c> and <c>docker system df</c>, read from the services.</summary>
internal sealed class SystemBackend(ContainerService containers, IImageStore images, IImageBackend imageBackend) : ISystemBackend
{
    public async Task<EngineCounts> CountsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ImageRecord> all = await images.ListAsync(cancellationToken);
        int running = containers.CountWhere(r => r.State.Running && !r.State.Paused);
        int paused = containers.CountWhere(r => r.State.Paused);
        return new EngineCounts(containers.Count, running, paused, containers.Count - running - paused, all.Count);
    }

    public async Task<DiskUsageResponse> DiskUsageAsync(CancellationToken cancellationToken)
    {
        var imageList = await imageBackend.ListAsync(new ImageListOptions { All = true }, cancellationToken);
        var containerList = await containers.ListAsync(new ContainerListOptions { All = true, Size = true }, cancellationToken);
        return new DiskUsageResponse
        {
            LayersSize = imageList.Sum(i => i.Size),
            Images = imageList,
            Containers = containerList,
        };
    }
}
