using System.Text.Json.Serialization;

namespace Berth.Api.Auth;

/// <summary>
/// Registry credentials: the body of <c>POST /auth</c> and, base64url-encoded JSON, the <c>X-Registry-Auth</c> header
/// of pull and push. Docker spells these fields in lowercase.
/// </summary>
public sealed record AuthConfig
{
    public const string HeaderName = "X-Registry-Auth";

    [JsonPropertyName("username")]
    public string? Username { get; init; }

    [JsonPropertyName("password")]
    public string? Password { get; init; }

    [JsonPropertyName("auth")]
    public string? Auth { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("serveraddress")]
    public string? ServerAddress { get; init; }

    [JsonPropertyName("identitytoken")]
    public string? IdentityToken { get; init; }

    [JsonPropertyName("registrytoken")]
    public string? RegistryToken { get; init; }

    /// <summary>Hides the secrets when a record is printed or logged.</summary>
    public override string ToString() => $"AuthConfig {{ Username = {Username}, ServerAddress = {ServerAddress} }}";
}
