namespace Berth.Api.Containers;

/// <summary>A health check: <c>Test</c> is <c>["NONE"]</c>, <c>["CMD", args...]</c> or <c>["CMD-SHELL", command]</c>; durations in nanoseconds.</summary>
public sealed record HealthConfig
{
    public IReadOnlyList<string>? Test { get; init; }

    public long? Interval { get; init; }

    public long? Timeout { get; init; }

    public long? StartPeriod { get; init; }

    public long? StartInterval { get; init; }

    public int? Retries { get; init; }
}
