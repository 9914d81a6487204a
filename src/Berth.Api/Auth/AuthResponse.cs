namespace Berth.Api.Auth;

/// <summary>The answer to <c>POST /auth</c>: "Login Succeeded", and a token when the registry issued one.</summary>
public sealed record AuthResponse
{
    public string Status { get; init; } = "";

    public string? IdentityToken { get; init; }
}
