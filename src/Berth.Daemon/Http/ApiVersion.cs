using System.Globalization;
using Berth.Api;

namespace Berth.Daemon.Http;

/// <summary>An API version "1.NN" as the client asked for it in the path, comparable.</summary>
internal readonly record struct ApiVersion(int Major, int Minor) : IComparable<ApiVersion>
{
    public static ApiVersion Minimum { get; } = Parse(ApiVersions.Minimum);

    public static ApiVersion Maximum { get; } = Parse(ApiVersions.Maximum);

    public static ApiVersion Parse(string text) =>
        TryParse(text, out ApiVersion version) ? version : throw new FormatException($"invalid API version \"{text}\"");

    public static bool TryParse(ReadOnlySpan<char> text, out ApiVersion version)
    {
        version = default;
        int dot = text.IndexOf('.');
        if (dot <= 0
            || !int.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            || !int.TryParse(text[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
        {
            return false;
        }

        version = new ApiVersion(major, minor);
        return true;
    }

    public int CompareTo(ApiVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(ApiVersion left, ApiVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ApiVersion left, ApiVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ApiVersion left, ApiVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ApiVersion left, ApiVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
