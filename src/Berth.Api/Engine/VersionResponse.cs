using System.Text.Json.Serialization;

namespace Berth.Api.Engine;

/// <summary><c>GET /version</c>: what <c>docker version</c> prints under "Server".</summary>
public sealed record VersionResponse
{
    public ComponentVersion Platform { get; init; } = new();

    public IReadOnlyList<ComponentVersion> Components { get; init; } = [];

    public string Version { get; init; } = "";

    public string ApiVersion { get; init; } = "";

    [JsonPropertyName("MinAPIVersion")]
    public string MinApiVersion { get; init; } = "";

    public string GitCommit { get; init; } = "";

    public string GoVersion { get; init; } = "";

    public string Os { get; init; } = "";

    public string Arch { get; init; } = "";

    public string KernelVersion { get; init; } = "";

    public bool? Experimental { get; init; }

    public string BuildTime { get; init; } = "";
}
