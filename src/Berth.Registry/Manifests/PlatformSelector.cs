using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;

namespace Berth.Registry.Manifests;

/// <summary>
/// Picks the manifest for a platform from an index, like containerd's platform matcher: attestation entries
/// (<c>unknown/unknown</c>, or annotated <c>vnd.docker.reference.type</c>) are skipped, an exact variant beats an
/// entry without one, and index order breaks ties.
/// </summary>
internal static class PlatformSelector
{
    public const string ReferenceTypeAnnotation = "vnd.docker.reference.type";

    public static Descriptor Select(OciIndex index, Platform? wanted, string what)
    {
        ArgumentNullException.ThrowIfNull(index);
        Platform platform = wanted ?? Platform.Host;
        Descriptor? best = null;
        int bestRank = 0;
        foreach (OciDescriptor entry in index.Manifests)
        {
            if (IsAttestation(entry) || !MediaTypes.IsManifest(entry.MediaType) && !MediaTypes.IsIndex(entry.MediaType))
            {
                continue;
            }

            Descriptor descriptor = entry.ToDescriptor();
            if (descriptor.Platform is not { } candidate || !platform.Matches(candidate))
            {
                continue;
            }

            int rank = candidate.Variant == platform.Variant ? 2 : 1;
            if (rank > bestRank)
            {
                (best, bestRank) = (descriptor, rank);
            }
        }

        return best ?? throw Errors.NotFound($"no matching manifest for {platform} in the manifest list entries of {what}");
    }

    public static bool IsAttestation(OciDescriptor entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Platform is { OS: "unknown", Architecture: "unknown" } ||
               entry.Annotations?.ContainsKey(ReferenceTypeAnnotation) == true;
    }
}
