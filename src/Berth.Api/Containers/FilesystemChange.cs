namespace Berth.Api.Containers;

/// <summary>One entry of <c>GET /containers/{id}/changes</c>: Kind 0 = modified, 1 = added, 2 = deleted.</summary>
public sealed record FilesystemChange
{
    public string Path { get; init; } = "";

    public int Kind { get; init; }
}
