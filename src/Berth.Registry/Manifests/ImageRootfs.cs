using System.Text.Json.Serialization;

namespace Berth.Registry.Manifests;

/// <summary><c>rootfs</c> of an image config: the uncompressed layer digests, bottom first.</summary>
internal sealed record ImageRootfs
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "layers";

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<string> DiffIds { get; init; } = [];
}
