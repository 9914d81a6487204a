namespace Berth.Api.Images;

/// <summary>Local facts about an image: when it was last tagged (RFC 3339, omitted if never).</summary>
public sealed record ImageMetadata
{
    public string? LastTagTime { get; init; }
}
