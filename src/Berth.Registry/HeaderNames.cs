namespace Berth.Registry;

/// <summary>HTTP header names the registry protocol uses.</summary>
internal static class HeaderNames
{
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string DockerContentDigest = "Docker-Content-Digest";
}
