namespace Berth.Testing.Registry;

/// <summary>
/// What <see cref="TestTokenService"/> saw of one token request: the Basic user (null when anonymous), the scopes
/// asked, what the token granted, and the status answered (200 issued, 401 wrong credentials, 400 bad request).
/// </summary>
public sealed record TokenRequestRecord(string? Account, IReadOnlyList<string> Scopes, IReadOnlyList<TokenAccess> Granted, int Status);
