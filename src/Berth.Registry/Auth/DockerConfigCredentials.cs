using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Images;

namespace Berth.Registry.Auth;

/// <summary>
/// Credentials from a docker-style <c>config.json</c> (<c>auths</c>, base64 <c>user:password</c> in <c>auth</c>).
/// Keys may carry a scheme and path (<c>https://index.docker.io/v1/</c>); Docker Hub is found under any of its names.
/// </summary>
internal sealed class DockerConfigCredentials : IRegistryCredentials
{
    private const string HubIndexKey = "index.docker.io";

    private readonly Dictionary<string, RegistryCredential> _byHost;

    public DockerConfigCredentials(IReadOnlyDictionary<string, RegistryCredential> byHost)
    {
        ArgumentNullException.ThrowIfNull(byHost);
        _byHost = new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        foreach ((string key, RegistryCredential credential) in byHost)
        {
            _byHost[NormalizeHost(key)] = credential;
        }
    }

    /// <summary>Reads <paramref name="path"/>; a missing file means no credentials.</summary>
    public static async Task<DockerConfigCredentials> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            return new DockerConfigCredentials(new Dictionary<string, RegistryCredential>());
        }

        byte[] json = await File.ReadAllBytesAsync(path, cancellationToken);
        return Parse(json, path);
    }

    public static DockerConfigCredentials Parse(ReadOnlySpan<byte> json, string source = "config.json")
    {
        DockerConfigFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, RegistryJsonContext.Default.DockerConfigFile);
        }
        catch (JsonException ex)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"{source}: invalid JSON: {ex.Message}", ex);
        }

        var byHost = new Dictionary<string, RegistryCredential>();
        foreach ((string key, DockerConfigAuth entry) in file?.Auths ?? new Dictionary<string, DockerConfigAuth>())
        {
            if (Decode(key, entry, source) is { } credential)
            {
                byHost[key] = credential;
            }
        }

        return new DockerConfigCredentials(byHost);
    }

    public RegistryCredential? Find(string registryHost)
    {
        ArgumentNullException.ThrowIfNull(registryHost);
        string host = NormalizeHost(registryHost);
        return _byHost.GetValueOrDefault(host);
    }

    /// <summary><c>https://index.docker.io/v1/</c> → <c>index.docker.io</c>; every Docker Hub name → one key.</summary>
    internal static string NormalizeHost(string key)
    {
        string host = key.Trim();
        int scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        int slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            host = host[..slash];
        }

        host = host.ToLowerInvariant();
        return host is ImageReference.DockerHub or ImageReference.DockerHubApiHost or HubIndexKey ? HubIndexKey : host;
    }

    private static RegistryCredential? Decode(string key, DockerConfigAuth entry, string source)
    {
        if (!string.IsNullOrEmpty(entry.Auth))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Auth));
            }
            catch (FormatException ex)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"{source}: invalid auth for {key}: not base64", ex);
            }

            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0
                ? throw Errors.InvalidArgument($"{source}: invalid auth for {key}: expected user:password")
                : new RegistryCredential(decoded[..colon], decoded[(colon + 1)..].Trim('\0'));
        }

        if (!string.IsNullOrEmpty(entry.Username))
        {
            return new RegistryCredential(entry.Username, entry.Password ?? "");
        }

        return null;
    }
}
