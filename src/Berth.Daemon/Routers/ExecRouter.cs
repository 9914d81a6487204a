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
        ExecStartRequest body = await UpgradeBody.ReadJsonAsync(request, ApiJsonContext.Default.ExecStartRequest) ?? new ExecStartRequest();
        StreamTarget target = await backend.ResolveAsync(id, request.Aborted);
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
