using System.Text.RegularExpressions;
using Berth.Core.Images;
using Berth.Daemon.Http;

namespace Berth.Daemon.Backends;

/// <summary><c>docker images --filter</c>: dangling, label (key or key=value), reference (a glob over name[:tag]),
/// before/since (images created before/after another one).</summary>
internal static class ImageFilters
{
    public static bool Matches(ImageRecord image, FilterSet filters, DateTimeOffset? before, DateTimeOffset? since)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Get("dangling") is [var dangling, ..])
        {
            bool wanted = dangling is "true" or "1";
            if ((image.RepoTags.Count == 0) != wanted)
            {
                return false;
            }
        }

        foreach (string label in filters.Get("label"))
        {
            int eq = label.IndexOf('=', StringComparison.Ordinal);
            string key = eq >= 0 ? label[..eq] : label;
            if (image.Config.Labels?.TryGetValue(key, out string? value) != true || (eq >= 0 && value != label[(eq + 1)..]))
            {
                return false;
            }
        }

        IReadOnlyList<string> references = filters.Get("reference");
        if (references.Count > 0 && !references.Any(pattern => image.RepoTags.Concat(image.RepoDigests).Any(r => ReferenceMatches(r, pattern))))
        {
            return false;
        }

        DateTimeOffset created = image.Created ?? DateTimeOffset.UnixEpoch;
        return (before is null || created < before) && (since is null || created > since);
    }

    /// <summary>Docker matches the pattern against the familiar name with and without its tag (path.Match globs).</summary>
    internal static bool ReferenceMatches(string reference, string pattern)
    {
        var regex = new Regex("^" + Regex.Escape(pattern).Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        int at = reference.IndexOf('@', StringComparison.Ordinal);
        string withoutDigest = at >= 0 ? reference[..at] : reference;
        int colon = withoutDigest.LastIndexOf(':');
        string name = colon > withoutDigest.LastIndexOf('/') ? withoutDigest[..colon] : withoutDigest;
        return regex.IsMatch(withoutDigest) || regex.IsMatch(name);
    }
}
