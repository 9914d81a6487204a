namespace Berth.Core.Images;

/// <summary>One step of an image's history; <see cref="EmptyLayer"/> steps made no layer (ENV, CMD…).</summary>
public sealed record ImageHistoryEntry
{
    public DateTimeOffset? Created { get; init; }

    public string? CreatedBy { get; init; }

    public string? Author { get; init; }

    public string? Comment { get; init; }

    public bool EmptyLayer { get; init; }
}
