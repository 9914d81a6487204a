namespace Berth.Registry;

/// <summary>
/// An open blob transfer. <see cref="Offset"/> is where <see cref="Content"/> starts in the blob: the requested
/// offset when the server honoured <c>Range</c>, 0 when it ignored it and sent the whole blob (the caller restarts).
/// Disposing closes the HTTP response.
/// </summary>
internal sealed class BlobResponse(Stream content, long offset, long? totalLength) : IAsyncDisposable, IDisposable
{
    public Stream Content { get; } = content;

    public long Offset { get; } = offset;

    /// <summary>The whole blob's length when the server said it.</summary>
    public long? TotalLength { get; } = totalLength;

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}
