using System.Text.Json.Serialization;
using Berth.Core.Content;
using Berth.Core.Images;

namespace Berth.Registry.Manifests;

/// <summary>A descriptor as it appears on the wire; <see cref="ToDescriptor"/> validates it into Core's.</summary>
internal sealed record OciDescriptor
{
    [JsonPropertyName("mediaType")]
    public string MediaType { get; init; } = "";

    [JsonPropertyName("digest")]
    public string Digest { get; init; } = "";

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("urls")]
    public IReadOnlyList<string>? Urls { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("platform")]
    public OciPlatform? Platform { get; init; }

    public Descriptor ToDescriptor()
    {
        if (!Core.Content.Digest.TryParse(Digest, out Digest digest, out string? error))
        {
            throw Core.Errors.Errors.InvalidArgument($"invalid descriptor digest \"{Digest}\": {error}");
        }

        if (Size < 0)
        {
            throw Core.Errors.Errors.InvalidArgument($"invalid descriptor size {Size} for {Digest}");
        }

        return new Descriptor(MediaType, digest, Size)
        {
            Annotations = Annotations,
            Platform = Platform is { OS.Length: > 0, Architecture.Length: > 0 } p ? new Platform(p.OS, p.Architecture, p.Variant) : null,
        };
    }
}
