namespace Berth.Images.Push;

/// <summary>How <see cref="ImagePusher"/> pushes.</summary>
public sealed record ImagePusherOptions
{
    /// <summary>Layers uploading at once (dockerd's <c>max-concurrent-uploads</c>, default 5).</summary>
    public int MaxConcurrentUploads { get; init; } = 5;

    /// <summary>Blobs up to this size go up in one PUT; larger ones in PATCH chunks of this size.</summary>
    public long ChunkSize { get; init; } = 16 << 20;
}
