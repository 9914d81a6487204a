using System.Text.Json.Serialization;

namespace Berth.Api.Images;

/// <summary>
/// One row of <c>GET /images/json</c>. Every field is always written: IDE clients deserialize strictly and broke on
/// podman when ParentId, SharedSize, Labels or Containers were missing. Created is Unix seconds.
/// </summary>
public sealed record ImageSummary
{
    public string Id { get; init; } = "";

    public string ParentId { get; init; } = "";

    public IReadOnlyList<string> RepoTags { get; init; } = [];

    public IReadOnlyList<string> RepoDigests { get; init; } = [];

    public long Created { get; init; }

    public long Size { get; init; }

    /// <summary>-1 unless the client asked for shared-size.</summary>
    public long SharedSize { get; init; } = -1;

    /// <summary>Removed from the API in 1.44; written for older clients only.</summary>
    public long? VirtualSize { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IDictionary<string, string>? Labels { get; init; }

    /// <summary>-1 unless counted.</summary>
    public long Containers { get; init; } = -1;
}
