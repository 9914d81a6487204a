using Berth.Api.Streams;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Berth.Daemon.Http;

/// <summary>
/// Takes over the connection for attach and exec start. With <c>Connection: Upgrade</c> + <c>Upgrade: tcp</c> the
/// answer is 101 and the socket becomes a duplex byte stream (Kestrel's upgrade feature). Without them, Docker's
/// older form: 200, the stream content type, and raw bytes until the end (stdin is then only what the body holds).
/// </summary>
internal static class Hijack
{
    public static async Task<HijackedConnection> AcceptAsync(ApiRequest request, bool tty)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpContext context = request.Context;
        string contentType = tty ? StreamFormats.Raw : StreamFormats.Multiplexed;
        IHttpUpgradeFeature? upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is { IsUpgradableRequest: true })
        {
            context.Response.Headers.ContentType = contentType;
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.Upgrade = "tcp";
            Stream stream = await upgrade.UpgradeAsync();
            return new HijackedConnection(stream, stream, upgraded: true, context);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;

        // No chunked framing: the old protocol is raw bytes until the connection closes.
        context.Response.Headers[HeaderNames.TransferEncoding] = "identity";
        context.Response.Headers.Connection = "close";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(request.Aborted);
        await context.Response.Body.FlushAsync(request.Aborted);
        return new HijackedConnection(context.Request.Body, context.Response.Body, upgraded: false);
    }
}
