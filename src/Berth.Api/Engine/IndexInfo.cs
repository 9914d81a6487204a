namespace Berth.Api.Engine;

/// <summary>One registry's settings.</summary>
public sealed record IndexInfo
{
    public string Name { get; init; } = "";

    public IReadOnlyList<string> Mirrors { get; init; } = [];

    public bool Secure { get; init; } = true;

    public bool Official { get; init; }
}
