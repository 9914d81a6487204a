using Berth.Registry.Auth;

namespace Berth.Images.Tests.Pull;

/// <summary>One credential for one registry host.</summary>
internal sealed class StaticCredentials(string host, string username, string password) : IRegistryCredentials
{
    public RegistryCredential? Find(string registryHost) =>
        string.Equals(registryHost, host, StringComparison.OrdinalIgnoreCase) ? new RegistryCredential(username, password) : null;
}
