using System.Text.Json;
using Berth.Api.Auth;
using Berth.Api.Json;

namespace Berth.Daemon.Http;

/// <summary>
/// <c>X-Registry-Auth</c>: base64url (padding optional; some clients send standard base64) JSON of an AuthConfig. An
/// undecodable header means anonymous, as in moby (the registry then answers 401 if it cares).
/// </summary>
internal static class RegistryAuthHeader
{
    public static AuthConfig? Decode(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        string normalized = header.Trim().Replace('-', '+').Replace('_', '/');
        normalized = normalized.PadRight(normalized.Length + ((4 - (normalized.Length % 4)) % 4), '=');
        try
        {
            byte[] json = Convert.FromBase64String(normalized);
            AuthConfig? auth = JsonSerializer.Deserialize(json, ApiJsonContext.Default.AuthConfig);
            return auth is { Username: null, Password: null, Auth: null, IdentityToken: null, RegistryToken: null } ? null : auth;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
