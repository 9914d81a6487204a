using System.Text.RegularExpressions;

namespace Berth.Core.Images;

/// <summary>
/// distribution/reference's regexp.go, rebuilt piece by piece. Go's <c>\w</c> and <c>[[:xdigit:]]</c> are ASCII, so
/// they are spelled out; <c>\z</c> replaces <c>$</c>, which in .NET also matches before a trailing newline.
/// </summary>
internal static partial class ReferenceGrammar
{
    private const string Alphanumeric = "[a-z0-9]+";
    private const string Separator = "(?:[._]|__|[-]+)";
    private const string PathComponent = Alphanumeric + "(?:" + Separator + Alphanumeric + ")*";
    private const string DomainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string DomainName = DomainNameComponent + @"(?:\." + DomainNameComponent + ")*";
    private const string Ipv6Address = @"\[(?:[a-fA-F0-9:]+)\]";
    private const string Host = "(?:" + DomainName + "|" + Ipv6Address + ")";
    private const string DomainAndPort = Host + "(?::[0-9]+)?";
    private const string Tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private const string DigestPattern = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
    private const string RemoteName = PathComponent + "(?:/" + PathComponent + ")*";
    private const string Name = "(?:" + DomainAndPort + "/)?" + RemoteName;

    /// <summary>Groups: 1 name, 2 tag, 3 digest.</summary>
    [GeneratedRegex("^(" + Name + ")(?::(" + Tag + "))?(?:@(" + DigestPattern + "))?\\z", RegexOptions.CultureInvariant)]
    public static partial Regex Reference();

    /// <summary>Groups: 1 domain (may be empty), 2 remote name.</summary>
    [GeneratedRegex("^(?:(" + DomainAndPort + ")/)?(" + RemoteName + ")\\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredName();

    [GeneratedRegex("^" + Tag + "\\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredTag();

    /// <summary>A 64-hex image ID, which is never taken for a repository name.</summary>
    [GeneratedRegex("^[a-f0-9]{64}\\z", RegexOptions.CultureInvariant)]
    public static partial Regex Identifier();
}
