using Berth.Core.Content;

namespace Berth.Core.Images;

/// <summary>Tells the image store which containers use an image, so removal can refuse (the container service answers).</summary>
public interface IImageUsage
{
    /// <summary>A container (short ID or name) using <paramref name="imageId"/>, or null when none does.</summary>
    string? ContainerUsing(Digest imageId);
}
