using System.Text.Json.Serialization;

namespace Berth.Api.Engine;

/// <summary>A build cache record in <c>/system/df</c> (Berth has none yet; the shape is here for clients).</summary>
public sealed record BuildCacheUsage
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    public string Type { get; init; } = "";

    public long Size { get; init; }

    public bool InUse { get; init; }

    public bool Shared { get; init; }
}
