using Berth.Api.Containers;
using Berth.Api.Images;

namespace Berth.Api.Engine;

/// <summary><c>GET /system/df</c>.</summary>
public sealed record DiskUsageResponse
{
    public long LayersSize { get; init; }

    public IReadOnlyList<ImageSummary> Images { get; init; } = [];

    public IReadOnlyList<ContainerSummary> Containers { get; init; } = [];

    public IReadOnlyList<VolumeUsage> Volumes { get; init; } = [];

    public IReadOnlyList<BuildCacheUsage> BuildCache { get; init; } = [];
}
