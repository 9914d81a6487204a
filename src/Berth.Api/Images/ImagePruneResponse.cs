namespace Berth.Api.Images;

/// <summary><c>POST /images/prune</c>.</summary>
public sealed record ImagePruneResponse
{
    public IReadOnlyList<ImageDeleteResponseItem>? ImagesDeleted { get; init; }

    public long SpaceReclaimed { get; init; }
}
