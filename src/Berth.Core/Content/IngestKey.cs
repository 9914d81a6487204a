using System.Text.RegularExpressions;

namespace Berth.Core.Content;

/// <summary>The rule for ingest keys (see <see cref="IIngester"/>): safe as one path component, readable on disk.</summary>
public static partial class IngestKey
{
    public static bool IsValid(string? key) => key is not null && Pattern().IsMatch(key);

    /// <summary>Throws InvalidArgument unless <paramref name="key"/> is a valid ingest key.</summary>
    public static void Validate(string? key)
    {
        if (!IsValid(key))
        {
            throw Errors.Errors.InvalidArgument($"invalid ingest key \"{key}\"");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_:@+=-][A-Za-z0-9._:@+=-]{0,254}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
