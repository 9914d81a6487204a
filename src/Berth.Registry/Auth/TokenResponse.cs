using System.Text.Json.Serialization;

namespace Berth.Registry.Auth;

/// <summary>A token server's answer (distribution token spec): <c>token</c> or the OAuth2 <c>access_token</c>.</summary>
internal sealed record TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }

    [JsonPropertyName("issued_at")]
    public DateTimeOffset? IssuedAt { get; init; }
}
