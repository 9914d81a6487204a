namespace Berth.Api.Images;

/// <summary>The image's layer diff IDs in order, bottom first.</summary>
public sealed record ImageRootFs
{
    public string Type { get; init; } = "layers";

    public IReadOnlyList<string> Layers { get; init; } = [];
}
