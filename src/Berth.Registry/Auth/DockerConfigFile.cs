using System.Text.Json.Serialization;

namespace Berth.Registry.Auth;

/// <summary>The part of docker's <c>config.json</c> that holds credentials.</summary>
internal sealed record DockerConfigFile
{
    [JsonPropertyName("auths")]
    public IReadOnlyDictionary<string, DockerConfigAuth>? Auths { get; init; }
}
