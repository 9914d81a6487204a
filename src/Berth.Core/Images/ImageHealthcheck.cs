namespace Berth.Core.Images;

/// <summary>An image's HEALTHCHECK; durations in nanoseconds as in the image config (0 = inherit the default).</summary>
public sealed record ImageHealthcheck
{
    /// <summary><c>["NONE"]</c>, <c>["CMD", …]</c> or <c>["CMD-SHELL", "…"]</c>.</summary>
    public IReadOnlyList<string>? Test { get; init; }

    public long Interval { get; init; }

    public long Timeout { get; init; }

    public long StartPeriod { get; init; }

    public long StartInterval { get; init; }

    public int Retries { get; init; }
}
