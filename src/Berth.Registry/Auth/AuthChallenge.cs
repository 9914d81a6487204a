using System.Text;

namespace Berth.Registry.Auth;

/// <summary>
/// One <c>WWW-Authenticate</c> challenge: its scheme and auth-params (RFC 7235), e.g.
/// <c>Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"</c>.
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public const string Basic = "Basic";
    public const string Bearer = "Bearer";

    public bool IsBearer => Scheme.Equals(Bearer, StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals(Basic, StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    public string? Error => Parameters.GetValueOrDefault("error");

    /// <summary>Picks the challenge the client can answer from a 401's headers: Bearer before Basic.</summary>
    public static AuthChallenge? Select(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        List<AuthChallenge> all = [.. headerValues.Select(Parse).OfType<AuthChallenge>()];
        return all.FirstOrDefault(c => c.IsBearer) ?? all.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>Parses <c>Scheme k=v, k2="quoted \"value\""</c>; null when there is no scheme.</summary>
    public static AuthChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        ReadOnlySpan<char> s = header.AsSpan().Trim();
        int space = s.IndexOfAny(' ', '\t');
        string scheme = (space < 0 ? s : s[..space]).ToString();
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = space < 0 ? s.Length : space;
        while (i < s.Length)
        {
            while (i < s.Length && (s[i] is ' ' or '\t' or ','))
            {
                i++;
            }

            int keyStart = i;
            while (i < s.Length && s[i] is not ('=' or ',' or ' ' or '\t'))
            {
                i++;
            }

            string key = s[keyStart..i].ToString();
            while (i < s.Length && s[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= s.Length || s[i] != '=')
            {
                continue; // a token68 or a bare word: nothing a registry sends that we use
            }

            i++;
            while (i < s.Length && s[i] is ' ' or '\t')
            {
                i++;
            }

            string value;
            if (i < s.Length && s[i] == '"')
            {
                var quoted = new StringBuilder();
                i++;
                while (i < s.Length && s[i] != '"')
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        i++;
                    }

                    quoted.Append(s[i]);
                    i++;
                }

                i++; // closing quote
                value = quoted.ToString();
            }
            else
            {
                int valueStart = i;
                while (i < s.Length && s[i] != ',')
                {
                    i++;
                }

                value = s[valueStart..i].Trim().ToString();
            }

            if (key.Length > 0)
            {
                parameters[key] = value;
            }
        }

        return new AuthChallenge(scheme, parameters);
    }
}
