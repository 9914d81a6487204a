namespace Berth.Cli.Commands.Image;

/// <summary>Docker's reference normalization for messages: "busybox" → "busybox:latest" and "docker.io/library/busybox:latest".</summary>
internal static class ImageNames
{
    public static bool HasTagOrDigest(string reference)
    {
        int slash = reference.LastIndexOf('/');
        return reference.Contains('@', StringComparison.Ordinal) || reference.IndexOf(':', slash + 1) >= 0;
    }

    public static string WithDefaultTag(string reference) => HasTagOrDigest(reference) ? reference : reference + ":latest";

    public static string FullName(string reference)
    {
        string named = WithDefaultTag(reference);
        int slash = named.IndexOf('/', StringComparison.Ordinal);
        string first = slash < 0 ? "" : named[..slash];
        bool hasDomain = slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        if (hasDomain)
        {
            return named;
        }

        return slash < 0 ? "docker.io/library/" + named : "docker.io/" + named;
    }
}
