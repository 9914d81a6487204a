using System.Text.Json.Serialization;

namespace Berth.Registry.Manifests;

/// <summary>One <c>history</c> entry of an image config.</summary>
internal sealed record ImageHistory
{
    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    [JsonPropertyName("empty_layer")]
    public bool EmptyLayer { get; init; }
}
