namespace Berth.Daemon.Configuration;

/// <summary>An entry of daemon.json "default-ulimits": <c>{"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}}</c>.</summary>
internal sealed record DefaultUlimit
{
    public string Name { get; init; } = "";

    public long Hard { get; init; }

    public long Soft { get; init; }
}
