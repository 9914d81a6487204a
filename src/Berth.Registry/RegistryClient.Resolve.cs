using System.Text.Json;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Registry.Manifests;

namespace Berth.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>
    /// Resolves a tag or digest to the image manifest for <paramref name="platform"/> (the host when null): an index
    /// is narrowed with <see cref="PlatformSelector"/> and the chosen manifest fetched by digest.
    /// </summary>
    public async Task<ResolvedImage> ResolveAsync(ImageReference reference, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        RegistryManifest top = await GetManifestAsync(reference, cancellationToken);
        RegistryManifest manifest = top;
        for (int depth = 0; MediaTypes.IsIndex(manifest.Descriptor.MediaType); depth++)
        {
            if (depth > 2)
            {
                throw Errors.InvalidArgument($"{reference.FamiliarString}: indexes nested too deeply");
            }

            OciIndex index = Deserialize(manifest.Content, RegistryJsonContext.Default.OciIndex, reference);
            Descriptor chosen = PlatformSelector.Select(index, platform, reference.FamiliarString);
            manifest = await GetManifestAsync(reference.WithDigest(chosen.Digest), cancellationToken);
        }

        OciManifest parsed = Deserialize(manifest.Content, RegistryJsonContext.Default.OciManifest, reference);
        return new ResolvedImage(top.Descriptor, manifest, parsed) { TargetContent = top.Content };
    }

    /// <summary>Fetches and verifies an image's config blob and parses the fields the engine uses.</summary>
    public async Task<ImageConfigFile> GetImageConfigAsync(ImageReference repository, OciManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(manifest);
        byte[] config = await GetBlobBytesAsync(repository, manifest.Config.ToDescriptor(), cancellationToken: cancellationToken);
        return Deserialize(config, RegistryJsonContext.Default.ImageConfigFile, repository);
    }

    private static T Deserialize<T>(ReadOnlyMemory<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, ImageReference reference)
    {
        try
        {
            return JsonSerializer.Deserialize(json.Span, type) ?? throw Errors.InvalidArgument($"{reference.FamiliarString}: empty {typeof(T).Name}");
        }
        catch (JsonException ex)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"{reference.FamiliarString}: invalid {typeof(T).Name}: {ex.Message}", ex);
        }
    }
}
