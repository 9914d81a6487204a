namespace Berth.Api.Engine;

/// <summary>The drivers available per kind, as <c>docker info</c> lists them under "Plugins".</summary>
public sealed record PluginsInfo
{
    public IReadOnlyList<string> Volume { get; init; } = [];

    public IReadOnlyList<string> Network { get; init; } = [];

    public IReadOnlyList<string>? Authorization { get; init; }

    public IReadOnlyList<string> Log { get; init; } = [];
}
