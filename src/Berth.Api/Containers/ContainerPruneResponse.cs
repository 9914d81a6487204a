namespace Berth.Api.Containers;

/// <summary><c>POST /containers/prune</c>.</summary>
public sealed record ContainerPruneResponse
{
    public IReadOnlyList<string>? ContainersDeleted { get; init; }

    public long SpaceReclaimed { get; init; }
}
