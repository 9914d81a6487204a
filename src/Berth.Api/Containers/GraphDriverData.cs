namespace Berth.Api.Containers;

/// <summary>The storage driver and its paths (overlay2: LowerDir, UpperDir, WorkDir, MergedDir).</summary>
public sealed record GraphDriverData
{
    public string Name { get; init; } = "";

    public IDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}
