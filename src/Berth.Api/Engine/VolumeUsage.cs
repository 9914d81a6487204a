namespace Berth.Api.Engine;

/// <summary>A volume in <c>/system/df</c>; UsageData sizes are -1 when not computed.</summary>
public sealed record VolumeUsage
{
    public string Name { get; init; } = "";

    public string Driver { get; init; } = "local";

    public string Mountpoint { get; init; } = "";

    public string? CreatedAt { get; init; }

    public IDictionary<string, string>? Labels { get; init; }

    public string Scope { get; init; } = "local";

    public VolumeUsageData? UsageData { get; init; }
}
