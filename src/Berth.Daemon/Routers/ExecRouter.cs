using Berth.Api.Exec;
using Berth.Api.Json;
using Berth.Core.Errors;
using Berth.Daemon.Backends;
using Berth.Daemon.Http;

namespace Berth.Daemon.Routers;

/// <summary><c>/exec/{id}/start|resize|json</c>; exec create lives with the container it runs in.</summary>
internal sealed class ExecRouter(IExecBackend backend) : IApiRouter
{
    public void Map(ApiRouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.Post("/exec/{id}/start", StartAsync);
        routes.Post("/exec/{id}/resize", ResizeAsync);
        routes.Get("/exec/{id}/json", InspectAsync);
    }

    private async Task StartAsync(ApiRequest request)
    {
        string id = request.Route("id");
        StreamTarget target = await backend.ResolveAsync(id, request.Aborted);
        long? movedBody = UpgradeBody.MovedLength(request);
        if (movedBody is not null)
        {
            // An upgrade with a body (docker exec): switch first, then the body is the stream's first bytes. The
            // output format follows the exec's own Tty, which the start body only repeats.
            await using HijackedConnection upgraded = await Hijack.AcceptAsync(request, target.Tty);
            ExecStartRequest start = await UpgradeBody.ReadJsonAsync(upgraded.Input, movedBody.Value, ApiJsonContext.Default.ExecStartRequest, request.Aborted)
                ?? new ExecStartRequest();
            using var upgradedOutputs = new StreamOutputs(upgraded, target.Tty, stdin: true, stdout: true, stderr: true);
            await backend.StartAsync(id, start, upgradedOutputs.Streams, request.Aborted);
            return;
        }

        ExecStartRequest body = await request.ReadOptionalJsonAsync(ApiJsonContext.Default.ExecStartRequest) ?? new ExecStartRequest();
        if (body.Detach)
        {
            await backend.StartAsync(id, body, null, request.Aborted);
            request.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        bool tty = body.Tty || target.Tty;
        await using HijackedConnection connection = await Hijack.AcceptAsync(request, tty);
        using var outputs = new StreamOutputs(connection, tty, stdin: true, stdout: true, stderr: true);
        await backend.StartAsync(id, body, outputs.Streams, request.Aborted);
    }

    private async Task ResizeAsync(ApiRequest request)
    {
        int height = request.QueryInt("h") ?? 0;
        int width = request.QueryInt("w") ?? 0;
        if (height < 0 || width < 0)
        {
            throw Errors.InvalidArgument("invalid resize dimensions: height and width must be positive");
        }

        await backend.ResizeAsync(request.Route("id"), height, width, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task InspectAsync(ApiRequest request) =>
        await request.WriteJsonAsync(await backend.InspectAsync(request.Route("id"), request.Aborted), ApiJsonContext.Default.ExecInspectResponse);
}
