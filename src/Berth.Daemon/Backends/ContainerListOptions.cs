using Berth.Daemon.Http;

namespace Berth.Daemon.Backends;

/// <summary><c>GET /containers/json</c>: All includes stopped ones; Limit the newest N (implies all); filters validated.</summary>
internal sealed record ContainerListOptions
{
    public bool All { get; init; }

    public int? Limit { get; init; }

    public bool Size { get; init; }

    public FilterSet Filters { get; init; } = FilterSet.Empty;
}
