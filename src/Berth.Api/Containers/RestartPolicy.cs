namespace Berth.Api.Containers;

/// <summary><c>Name</c> is "", "no", "always", "unless-stopped" or "on-failure".</summary>
public sealed record RestartPolicy
{
    public string Name { get; init; } = "";

    public int MaximumRetryCount { get; init; }
}
