namespace Berth.Daemon.Http;

/// <summary>All routes, matched in registration order (so literal paths registered first win over templates).</summary>
internal sealed class ApiRouteTable
{
    private readonly List<ApiRoute> _routes = [];

    public IReadOnlyList<ApiRoute> Routes => _routes;

    public void Get(string template, ApiHandler handler) => Add(HttpMethods.Get, template, handler);

    public void Head(string template, ApiHandler handler) => Add(HttpMethods.Head, template, handler);

    public void Post(string template, ApiHandler handler) => Add(HttpMethods.Post, template, handler);

    public void Put(string template, ApiHandler handler) => Add(HttpMethods.Put, template, handler);

    public void Delete(string template, ApiHandler handler) => Add(HttpMethods.Delete, template, handler);

    public void Add(string method, string template, ApiHandler handler) => _routes.Add(new ApiRoute(method, template, handler));

    public (ApiRoute Route, Dictionary<string, string> Values)? Match(string method, string path)
    {
        string[] segments = path.Trim('/').Split('/');
        foreach (ApiRoute route in _routes)
        {
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase) && route.TryMatch(segments, out Dictionary<string, string> values))
            {
                return (route, values);
            }
        }

        return null;
    }
}
