namespace Berth.Daemon.Http;

/// <summary>
/// A method and a path template: literal segments, <c>{name}</c> for one segment, and at most one <c>{name*}</c> that
/// takes one or more segments (image names contain slashes: <c>/images/{name*}/json</c>).
/// </summary>
internal sealed class ApiRoute
{
    private readonly string[] _segments;
    private readonly int _greedyIndex;

    public ApiRoute(string method, string template, ApiHandler handler)
    {
        Method = method;
        Template = template;
        Handler = handler;
        _segments = template.Trim('/').Split('/');
        _greedyIndex = Array.FindIndex(_segments, s => s.EndsWith("*}", StringComparison.Ordinal));
    }

    public string Method { get; }

    public string Template { get; }

    public ApiHandler Handler { get; }

    public bool TryMatch(string[] path, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_greedyIndex < 0)
        {
            return path.Length == _segments.Length && MatchRange(path, 0, 0, _segments.Length, values);
        }

        int suffix = _segments.Length - _greedyIndex - 1;
        int greedyLength = path.Length - _greedyIndex - suffix;
        if (greedyLength < 1
            || !MatchRange(path, 0, 0, _greedyIndex, values)
            || !MatchRange(path, _greedyIndex + greedyLength, _greedyIndex + 1, suffix, values))
        {
            return false;
        }

        string name = _segments[_greedyIndex][1..^2];
        values[name] = string.Join('/', path, _greedyIndex, greedyLength);
        return values[name].Length > 0;
    }

    private bool MatchRange(string[] path, int pathStart, int templateStart, int count, Dictionary<string, string> values)
    {
        for (int i = 0; i < count; i++)
        {
            string template = _segments[templateStart + i];
            string segment = path[pathStart + i];
            if (template.StartsWith('{'))
            {
                if (segment.Length == 0)
                {
                    return false;
                }

                values[template[1..^1]] = segment;
            }
            else if (!string.Equals(template, segment, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
