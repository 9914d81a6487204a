using Berth.Core.Content;
using Berth.Registry.Manifests;

namespace Berth.Registry;

/// <summary>
/// A reference resolved to one image: <see cref="Target"/> is what the tag (or digest) names — an index or a
/// manifest — and <see cref="Manifest"/> the image manifest chosen for the platform, with its parsed form.
/// </summary>
internal sealed record ResolvedImage(Descriptor Target, RegistryManifest Manifest, OciManifest Parsed)
{
    /// <summary>The exact bytes of <see cref="Target"/> (the index when there is one, else the manifest's own).</summary>
    public ReadOnlyMemory<byte> TargetContent { get; init; }
}
