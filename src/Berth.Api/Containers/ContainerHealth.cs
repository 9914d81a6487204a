namespace Berth.Api.Containers;

/// <summary>Health check state: Status is "none", "starting", "healthy" or "unhealthy".</summary>
public sealed record ContainerHealth
{
    public string Status { get; init; } = "none";

    public int FailingStreak { get; init; }

    public IReadOnlyList<HealthcheckResult> Log { get; init; } = [];
}
