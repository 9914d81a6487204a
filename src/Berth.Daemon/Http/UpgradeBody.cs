using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Daemon.Http;

/// <summary>
/// Exec start carries a JSON body <em>and</em> asks for an upgrade. For an upgradable request Kestrel's body is the
/// raw connection (it never ends), so read exactly Content-Length bytes of it, before switching protocols.
/// </summary>
internal static class UpgradeBody
{
    public static ConnectionDelegate ConnectionMiddleware(ConnectionDelegate next) => next;

    public static Stream Prepend(HttpContext context, Stream upgraded) => upgraded;

    public static async Task<T?> ReadJsonAsync<T>(ApiRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpContext context = request.Context;
        if (context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true })
        {
            return await request.ReadOptionalJsonAsync(typeInfo);
        }

        long length = context.Request.ContentLength ?? 0;
        if (length <= 0)
        {
            return null;
        }

        if (length > 1 << 20)
        {
            throw Core.Errors.Errors.InvalidArgument("request body too large");
        }

        byte[] buffer = new byte[length];
        await context.Request.Body.ReadExactlyAsync(buffer, request.Aborted);
        try
        {
            return JsonSerializer.Deserialize(buffer, typeInfo);
        }
        catch (JsonException ex)
        {
            throw RequestErrors.InvalidJson(ex.Message);
        }
    }
}
