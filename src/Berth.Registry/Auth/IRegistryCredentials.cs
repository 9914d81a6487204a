namespace Berth.Registry.Auth;

/// <summary>Looks up the credential for a registry host (<c>host[:port]</c> as in image references).</summary>
internal interface IRegistryCredentials
{
    RegistryCredential? Find(string registryHost);
}
