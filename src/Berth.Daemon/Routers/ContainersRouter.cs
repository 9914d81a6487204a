using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Api.Containers;
using Berth.Api.Json;
using Berth.Api.Streams;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Daemon.Backends;
using Berth.Daemon.Http;

namespace Berth.Daemon.Routers;

/// <summary>Containers: lifecycle, attach/logs/wait streams, archive, top, changes, stats, and exec create.</summary>
internal sealed class ContainersRouter(IContainerBackend backend, IExecBackend exec, TimeProvider time) : IApiRouter
{
    private static readonly string[] ListFilters =
        ["ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label", "name", "network", "publish", "since", "status", "volume"];

    private static readonly string[] PruneFilters = ["label", "label!", "until"];

    public void Map(ApiRouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.Post("/containers/create", CreateAsync);
        routes.Get("/containers/json", ListAsync);
        routes.Post("/containers/prune", PruneAsync);
        routes.Get("/containers/{name}/json", InspectAsync);
        routes.Post("/containers/{name}/start", request => Simple(request, backend.StartAsync));
        routes.Post("/containers/{name}/stop", StopAsync);
        routes.Post("/containers/{name}/restart", RestartAsync);
        routes.Post("/containers/{name}/kill", KillAsync);
        routes.Post("/containers/{name}/pause", request => Simple(request, backend.PauseAsync));
        routes.Post("/containers/{name}/unpause", request => Simple(request, backend.UnpauseAsync));
        routes.Post("/containers/{name}/wait", WaitAsync);
        routes.Post("/containers/{name}/attach", AttachAsync);
        routes.Post("/containers/{name}/resize", ResizeAsync);
        routes.Get("/containers/{name}/logs", LogsAsync);
        routes.Get("/containers/{name}/top", TopAsync);
        routes.Post("/containers/{name}/rename", RenameAsync);
        routes.Delete("/containers/{name}", RemoveAsync);
        routes.Get("/containers/{name}/archive", GetArchiveAsync);
        routes.Head("/containers/{name}/archive", StatArchiveAsync);
        routes.Put("/containers/{name}/archive", PutArchiveAsync);
        routes.Get("/containers/{name}/changes", ChangesAsync);
        routes.Get("/containers/{name}/stats", StatsAsync);
        routes.Post("/containers/{name}/exec", ExecCreateAsync);
    }

    private static async Task Simple(ApiRequest request, Func<string, CancellationToken, Task> action)
    {
        await action(request.Route("name"), request.Aborted);
        request.NoContent();
    }

    private async Task CreateAsync(ApiRequest request)
    {
        string? name = request.Query("name");
        ContainerCreateValidator.ValidateName(name);
        string? platformText = request.Query("platform");
        Platform? platform = string.IsNullOrEmpty(platformText) ? null : Platform.Parse(platformText);
        ContainerCreateRequest body = await request.ReadOptionalJsonAsync(ApiJsonContext.Default.ContainerCreateRequest)
            ?? throw Errors.InvalidArgument("config cannot be empty in order to create a container");
        ContainerCreateValidator.Validate(body);
        ContainerCreateResponse created = await backend.CreateAsync(string.IsNullOrEmpty(name) ? null : name.TrimStart('/'), platform, body, request.Aborted);
        await request.WriteJsonAsync(created, ApiJsonContext.Default.ContainerCreateResponse, StatusCodes.Status201Created);
    }

    private async Task ListAsync(ApiRequest request)
    {
        FilterSet filters = request.QueryFilters();
        ApiRequest.ValidateFilters(filters, ListFilters);
        var options = new ContainerListOptions
        {
            All = request.QueryBool("all"),
            Limit = request.QueryInt("limit") is > 0 and int limit ? limit : null,
            Size = request.QueryBool("size"),
            Filters = filters,
        };
        IReadOnlyList<ContainerSummary> containers = await backend.ListAsync(options, request.Aborted);
        await request.WriteJsonAsync([.. containers], ApiJsonContext.Default.ListContainerSummary);
    }

    private async Task InspectAsync(ApiRequest request)
    {
        ContainerInspectResponse container = await backend.InspectAsync(request.Route("name"), request.QueryBool("size"), request.Aborted);
        await request.WriteJsonAsync(container, ApiJsonContext.Default.ContainerInspectResponse);
    }

    private static StopOptions ParseStop(ApiRequest request)
    {
        string? signal = request.Query("signal");
        return new StopOptions(string.IsNullOrEmpty(signal) ? null : signal, request.QueryInt("t"));
    }

    private async Task StopAsync(ApiRequest request)
    {
        await backend.StopAsync(request.Route("name"), ParseStop(request), request.Aborted);
        request.NoContent();
    }

    private async Task RestartAsync(ApiRequest request)
    {
        await backend.RestartAsync(request.Route("name"), ParseStop(request), request.Aborted);
        request.NoContent();
    }

    private async Task KillAsync(ApiRequest request)
    {
        string? signal = request.Query("signal");
        await backend.KillAsync(request.Route("name"), string.IsNullOrEmpty(signal) ? null : signal, request.Aborted);
        request.NoContent();
    }

    internal static WaitCondition ParseCondition(string? value) => value switch
    {
        null or "" or "not-running" => WaitCondition.NotRunning,
        "next-exit" => WaitCondition.NextExit,
        "removed" => WaitCondition.Removed,
        _ => throw Errors.InvalidArgument($"invalid condition: \"{value}\""),
    };

    private async Task WaitAsync(ApiRequest request)
    {
        WaitCondition condition = ParseCondition(request.Query("condition"));
        Task<ContainerWaitResponse> waiting = await backend.WaitAsync(request.Route("name"), condition, request.Aborted);

        // Since API 1.30 the headers go out at once, so a client can start the container knowing the wait is armed.
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentType = "application/json";
        await request.Response.StartAsync(request.Aborted);
        await request.Response.Body.FlushAsync(request.Aborted);
        ContainerWaitResponse result;
        try
        {
            result = await waiting.WaitAsync(request.Aborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !request.Aborted.IsCancellationRequested)
        {
            result = new ContainerWaitResponse { StatusCode = -1, Error = new WaitExitError { Message = ex.Message } };
        }

        await JsonSerializer.SerializeAsync(request.Response.Body, result, ApiJsonContext.Default.ContainerWaitResponse, request.Aborted);
        await request.Response.Body.WriteAsync("\n"u8.ToArray(), request.Aborted);
    }

    private async Task AttachAsync(ApiRequest request)
    {
        var options = new AttachOptions(
            request.QueryBool("stream"), request.QueryBool("logs"), request.QueryBool("stdin"),
            request.QueryBool("stdout"), request.QueryBool("stderr"), request.Query("detachKeys"));
        StreamTarget target = await backend.ResolveAsync(request.Route("name"), request.Aborted);
        HijackedConnection? connection = null;
        StreamOutputs? outputs = null;
        try
        {
            await backend.AttachAsync(target.Id, options, async () =>
            {
                connection = await Hijack.AcceptAsync(request, target.Tty);
                outputs = new StreamOutputs(connection, target.Tty, options.Stdin, options.Stdout, options.Stderr);
                return outputs.Streams;
            }, request.Aborted);
        }
        finally
        {
            outputs?.Dispose();
            if (connection is not null)
                await connection.DisposeAsync();
        }
    }

    private async Task ResizeAsync(ApiRequest request)
    {
        int height = request.QueryInt("h") ?? 0;
        int width = request.QueryInt("w") ?? 0;
        if (height < 0 || width < 0)
        {
            throw Errors.InvalidArgument("invalid resize dimensions: height and width must be positive");
        }

        await backend.ResizeAsync(request.Route("name"), height, width, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task LogsAsync(ApiRequest request)
    {
        bool stdout = request.QueryBool("stdout");
        bool stderr = request.QueryBool("stderr");
        if (!stdout && !stderr)
        {
            throw Errors.InvalidArgument("Bad parameters: you must choose at least one stream");
        }

        DateTimeOffset now = time.GetUtcNow();
        string? tailText = request.Query("tail");
        int? tail = tailText is null or "" or "all" ? null
            : int.TryParse(tailText, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n
            : throw Errors.InvalidArgument($"invalid value for tail: \"{tailText}\"");
        var options = new LogsOptions
        {
            Follow = request.QueryBool("follow"),
            Stdout = stdout,
            Stderr = stderr,
            Since = Timestamps.Parse(request.Query("since"), now),
            // moby: until=0 is "no end" (Docker.DotNet always sends it), not the epoch.
            Until = request.Query("until") is "0" ? null : Timestamps.Parse(request.Query("until"), now),
            Tail = tail,
        };
        bool timestamps = request.QueryBool("timestamps");
        StreamTarget target = await backend.ResolveAsync(request.Route("name"), request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentType = target.Tty ? StreamFormats.Raw : StreamFormats.Multiplexed;
        await request.Response.StartAsync(request.Aborted);
        await request.Response.Body.FlushAsync(request.Aborted);
        using var mux = new MultiplexedStreamWriter(request.Response.Body);
        await foreach (LogEntry entry in backend.LogsAsync(target.Id, options, request.Aborted))
        {
            ReadOnlyMemory<byte> line = timestamps ? WithTimestamp(entry) : entry.Line;
            if (target.Tty)
            {
                await request.Response.Body.WriteAsync(line, request.Aborted);
                await request.Response.Body.FlushAsync(request.Aborted);
            }
            else
            {
                await mux.WriteFrameAsync(entry.Stream, line, request.Aborted);
            }
        }
    }

    private static byte[] WithTimestamp(LogEntry entry)
    {
        byte[] prefix = Encoding.ASCII.GetBytes(RfcTimeConverter.Format(entry.Time) + " ");
        return [.. prefix, .. entry.Line.Span];
    }

    private async Task TopAsync(ApiRequest request)
    {
        ContainerTopResponse top = await backend.TopAsync(request.Route("name"), request.Query("ps_args"), request.Aborted);
        await request.WriteJsonAsync(top, ApiJsonContext.Default.ContainerTopResponse);
    }

    private async Task RenameAsync(ApiRequest request)
    {
        string? newName = request.Query("name");
        if (string.IsNullOrEmpty(newName))
        {
            throw Errors.InvalidArgument("Neither old nor new names may be empty");
        }

        ContainerCreateValidator.ValidateName(newName);
        await backend.RenameAsync(request.Route("name"), newName.TrimStart('/'), request.Aborted);
        request.NoContent();
    }

    private async Task RemoveAsync(ApiRequest request)
    {
        var options = new RemoveOptions(request.QueryBool("force"), request.QueryBool("v"), request.QueryBool("link"));
        await backend.RemoveAsync(request.Route("name"), options, request.Aborted);
        request.NoContent();
    }

    private async Task PruneAsync(ApiRequest request)
    {
        FilterSet filters = request.QueryFilters();
        ApiRequest.ValidateFilters(filters, PruneFilters);
        await request.WriteJsonAsync(await backend.PruneAsync(filters, request.Aborted), ApiJsonContext.Default.ContainerPruneResponse);
    }

    private static string ArchivePath(ApiRequest request)
    {
        string? path = request.Query("path");
        return string.IsNullOrEmpty(path) ? throw Errors.InvalidArgument("bad parameter: 'path' cannot be empty") : path;
    }

    private async Task<ContainerPathStat> WriteStatHeaderAsync(ApiRequest request)
    {
        ContainerPathStat stat = await backend.StatPathAsync(request.Route("name"), ArchivePath(request), request.Aborted);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(stat, ApiJsonContext.Default.ContainerPathStat);
        request.Response.Headers[ContainerPathStat.HeaderName] = Convert.ToBase64String(json);
        return stat;
    }

    private async Task StatArchiveAsync(ApiRequest request)
    {
        await WriteStatHeaderAsync(request);
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task GetArchiveAsync(ApiRequest request)
    {
        await WriteStatHeaderAsync(request);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentType = "application/x-tar";
        await backend.GetArchiveAsync(request.Route("name"), ArchivePath(request), request.Response.Body, request.Aborted);
    }

    private async Task PutArchiveAsync(ApiRequest request)
    {
        var options = new PutArchiveOptions(request.QueryBool("noOverwriteDirNonDir"), request.QueryBool("copyUIDGID"));
        await backend.PutArchiveAsync(request.Route("name"), ArchivePath(request), request.Context.Request.Body, options, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task ChangesAsync(ApiRequest request)
    {
        IReadOnlyList<FilesystemChange> changes = await backend.ChangesAsync(request.Route("name"), request.Aborted);
        await request.WriteJsonAsync([.. changes], ApiJsonContext.Default.ListFilesystemChange);
    }

    private async Task StatsAsync(ApiRequest request)
    {
        bool stream = request.QueryBool("stream", defaultValue: true) && !request.QueryBool("one-shot");
        string name = request.Route("name");
        if (!stream)
        {
            await request.WriteJsonAsync(await backend.StatsAsync(name, request.Aborted), ApiJsonContext.Default.ContainerStatsResponse);
            return;
        }

        var writer = new JsonLinesWriter(request.Response);
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        do
        {
            await writer.WriteAsync(await backend.StatsAsync(name, request.Aborted), ApiJsonContext.Default.ContainerStatsResponse, request.Aborted);
        }
        while (await tick.WaitForNextTickAsync(request.Aborted));
    }

    private async Task ExecCreateAsync(ApiRequest request)
    {
        Api.Exec.ExecCreateRequest body = await request.ReadJsonAsync(ApiJsonContext.Default.ExecCreateRequest);
        if (body.Cmd is not { Count: > 0 })
        {
            throw Errors.InvalidArgument("No exec command specified");
        }

        string id = await exec.CreateAsync(request.Route("name"), body, request.Aborted);
        await request.WriteJsonAsync(new Api.IdResponse { Id = id }, ApiJsonContext.Default.IdResponse, StatusCodes.Status201Created);
    }
}
