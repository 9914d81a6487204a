using Berth.Api.Engine;

namespace Berth.Daemon.Backends;

/// <summary>What <c>/info</c> and <c>/system/df</c> need from the services; host facts the daemon reads itself.</summary>
internal interface ISystemBackend
{
    Task<EngineCounts> CountsAsync(CancellationToken cancellationToken);

    Task<DiskUsageResponse> DiskUsageAsync(CancellationToken cancellationToken);
}
