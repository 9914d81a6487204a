namespace Berth.Api.Images;

/// <summary>One line of <c>DELETE /images/{name}</c> or an image prune: a tag removed, or an image deleted.</summary>
public sealed record ImageDeleteResponseItem
{
    public string? Untagged { get; init; }

    public string? Deleted { get; init; }
}
