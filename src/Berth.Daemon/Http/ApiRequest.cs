using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Api;
using Berth.Api.Json;
using Berth.Core.Errors;

namespace Berth.Daemon.Http;

/// <summary>
/// One API call as a router sees it: the HTTP context, the path parameters, the negotiated version, and helpers that
/// parse Docker's query conventions ("1"/"true"/"0"/"false" booleans) and answer in Docker's shapes.
/// </summary>
internal sealed class ApiRequest(HttpContext context, IReadOnlyDictionary<string, string> routeValues, ApiVersion version, CancellationToken aborted)
{
    public HttpContext Context { get; } = context;

    public ApiVersion Version { get; } = version;

    /// <summary>Cancelled when the client goes away or the daemon shuts down.</summary>
    public CancellationToken Aborted { get; } = aborted;

    public HttpResponse Response => Context.Response;

    /// <summary>A path parameter, URL-decoded.</summary>
    public string Route(string name) => routeValues[name];

    public string? Query(string name)
    {
        string? value = Context.Request.Query[name];
        return value;
    }

    public IReadOnlyList<string> QueryAll(string name) => [.. Context.Request.Query[name].Where(v => v is not null).Select(v => v!)];

    /// <summary>Docker's form boolean: absent, "", "0", "false", "no" are false; "1", "true" true; anything else is 400.</summary>
    public bool QueryBool(string name, bool defaultValue = false)
    {
        string? value = Query(name);
        if (value is null)
        {
            return defaultValue;
        }

        return value.ToUpperInvariant() switch
        {
            "" or "0" or "FALSE" or "NO" or "F" => false,
            "1" or "TRUE" or "YES" or "T" => true,
            _ => throw RequestErrors.InvalidBool(name, value),
        };
    }

    public int? QueryInt(string name)
    {
        string? value = Query(name);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result)
            ? result
            : throw RequestErrors.InvalidInt(name, value);
    }

    public FilterSet QueryFilters() => FilterSet.Parse(Query("filters"));

    /// <summary>Reads a JSON body: empty or malformed → 400 with the parser's reason, unknown fields ignored.</summary>
    public async Task<T> ReadJsonAsync<T>(JsonTypeInfo<T> typeInfo)
        where T : class
    {
        T? value = await ReadOptionalJsonAsync(typeInfo);
        return value ?? throw RequestErrors.EmptyBody();
    }

    /// <summary>Like <see cref="ReadJsonAsync{T}"/>, but an empty body (as some clients send) is null.</summary>
    public async Task<T?> ReadOptionalJsonAsync<T>(JsonTypeInfo<T> typeInfo)
        where T : class
    {
        using var buffer = new MemoryStream();
        await Context.Request.Body.CopyToAsync(buffer, Aborted);
        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), typeInfo);
        }
        catch (JsonException ex)
        {
            throw RequestErrors.InvalidJson(ex.Message);
        }
    }

    public Task WriteJsonAsync<T>(T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(Response.Body, value, typeInfo, Aborted);
    }

    public void NoContent() => Response.StatusCode = StatusCodes.Status204NoContent;

    /// <summary>Docker's error body, written only if nothing was sent yet.</summary>
    public static async Task WriteErrorAsync(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        if (status == StatusCodes.Status304NotModified)
        {
            return;
        }

        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, new ErrorResponse { Message = message }, ApiJsonContext.Default.ErrorResponse);
        await response.Body.WriteAsync("\n"u8.ToArray());
    }

    /// <summary>Throws 400 unless every filter key is one the endpoint knows (moby's <c>filters.Validate</c>).</summary>
    public static void ValidateFilters(FilterSet filters, params string[] accepted)
    {
        ArgumentNullException.ThrowIfNull(filters);
        foreach (string key in filters.Keys)
        {
            if (!accepted.Contains(key, StringComparer.Ordinal))
            {
                throw Errors.InvalidArgument($"invalid filter '{key}'");
            }
        }
    }
}
