using System.Text.Json.Serialization;

namespace Berth.Registry.Auth;

/// <summary>One <c>auths</c> entry: base64 <c>user:password</c> in <c>auth</c>, or the split fields.</summary>
internal sealed record DockerConfigAuth
{
    [JsonPropertyName("auth")]
    public string? Auth { get; init; }

    [JsonPropertyName("username")]
    public string? Username { get; init; }

    [JsonPropertyName("password")]
    public string? Password { get; init; }

    [JsonPropertyName("identitytoken")]
    public string? IdentityToken { get; init; }
}
