using System.Text.RegularExpressions;

namespace Berth.Core.Content;

/// <summary>The digest grammar of OCI image-spec descriptor.md, used to tell "unsupported" from "malformed".</summary>
internal static partial class DigestGrammar
{
    public static bool IsWellFormed(string value) => WellFormed().IsMatch(value);

    [GeneratedRegex(@"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex WellFormed();
}
