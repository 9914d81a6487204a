namespace Berth.Client;

/// <summary>Query of <c>GET /containers/{id}/logs</c>; Since/Until are Unix timestamps or durations as docker passes them.</summary>
public sealed record ContainerLogsOptions
{
    public bool Stdout { get; init; } = true;

    public bool Stderr { get; init; } = true;

    public bool Follow { get; init; }

    public bool Timestamps { get; init; }

    public string? Since { get; init; }

    public string? Until { get; init; }

    public string? Tail { get; init; }
}
