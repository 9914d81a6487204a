using Berth.Core.Content;
using Berth.Core.Images;

namespace Berth.Daemon.Composition;

/// <summary>Breaks the construction cycle between the image store (asks who uses an image) and the container
/// service (needs the image store): the store gets this, the service is plugged in once built.</summary>
internal sealed class DeferredImageUsage : IImageUsage
{
    public IImageUsage? Target { get; set; }

    public string? ContainerUsing(Digest imageId) => Target?.ContainerUsing(imageId);
}
