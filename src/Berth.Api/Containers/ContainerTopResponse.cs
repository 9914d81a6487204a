namespace Berth.Api.Containers;

/// <summary><c>GET /containers/{id}/top</c>: ps column titles and one row per process.</summary>
public sealed record ContainerTopResponse
{
    public IReadOnlyList<string> Titles { get; init; } = [];

    public IReadOnlyList<IReadOnlyList<string>> Processes { get; init; } = [];
}
