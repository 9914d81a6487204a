using Berth.Core.Images;

namespace Berth.Core.Content;

/// <summary>
/// Points at a blob: what it is (<see cref="MediaType"/>), where it is (<see cref="Digest"/>) and how big it is
/// (<see cref="Size"/>, in bytes), as in OCI image-spec descriptor.md.
/// </summary>
public sealed record Descriptor(string MediaType, Digest Digest, long Size)
{
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Set on the entries of an image index to say which platform a manifest is for.</summary>
    public Platform? Platform { get; init; }
}
