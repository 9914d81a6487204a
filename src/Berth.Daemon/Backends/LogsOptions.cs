namespace Berth.Daemon.Backends;

/// <summary><c>GET /containers/{id}/logs</c>: Tail null = all; Since/Until bound the record times.</summary>
internal sealed record LogsOptions
{
    public bool Follow { get; init; }

    public bool Stdout { get; init; }

    public bool Stderr { get; init; }

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public int? Tail { get; init; }
}
