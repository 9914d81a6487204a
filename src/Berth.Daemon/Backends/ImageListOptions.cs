using Berth.Daemon.Http;

namespace Berth.Daemon.Backends;

/// <summary><c>GET /images/json</c> parameters; filter keys already validated (before, dangling, label, reference, since, until).</summary>
internal sealed record ImageListOptions
{
    public bool All { get; init; }

    public FilterSet Filters { get; init; } = FilterSet.Empty;

    public bool SharedSize { get; init; }

    public bool Digests { get; init; }
}
