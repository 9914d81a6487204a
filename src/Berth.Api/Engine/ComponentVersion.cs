namespace Berth.Api.Engine;

/// <summary>A named component of the server ("Engine", "berth-runtime"); also the <c>Platform</c> (Name only).</summary>
public sealed record ComponentVersion
{
    public string Name { get; init; } = "";

    public string? Version { get; init; }

    public IDictionary<string, string>? Details { get; init; }
}
