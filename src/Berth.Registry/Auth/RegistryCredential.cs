namespace Berth.Registry.Auth;

/// <summary>A username and password (or identity token as password) for one registry.</summary>
internal sealed record RegistryCredential(string Username, string Password)
{
    public override string ToString() => $"RegistryCredential {{ Username = {Username} }}"; // never the secret
}
