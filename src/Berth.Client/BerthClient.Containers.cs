using System.Text.Json;
using Berth.Api.Containers;
using Berth.Api.Json;

namespace Berth.Client;

public sealed partial class BerthClient
{
    private static ApiJsonContext Types => ApiJsonContext.Default;

    public Task<ContainerCreateResponse> ContainerCreateAsync(ContainerCreateRequest body, string? name = null, string? platform = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "containers/create" + Query(("name", name), ("platform", platform)), ReplyReader.Created,
            Json(body, ApiWriteJsonContext.Default.ContainerCreateRequest), cancellationToken);

    public Task<List<ContainerSummary>> ContainerListAsync(bool all = false, bool size = false, int? limit = null, string? filters = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "containers/json" + Query(("all", Flag(all)), ("size", Flag(size)), ("limit", Number(limit)), ("filters", filters)),
            Types.ListContainerSummary, null, cancellationToken);

    public Task<ContainerInspectResponse> ContainerInspectAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"containers/{Escape(id)}/json", Types.ContainerInspectResponse, null, cancellationToken);

    /// <summary>The inspect document as the daemon sent it, for --format and for printing every field it has.</summary>
    public Task<JsonElement> ContainerInspectRawAsync(string id, bool size = false, CancellationToken cancellationToken = default) =>
        RawJsonAsync($"containers/{Escape(id)}/json" + Query(("size", Flag(size))), cancellationToken);

    internal async Task<JsonElement> RawJsonAsync(string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using JsonDocument document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }

    public Task ContainerStartAsync(string id, string? detachKeys = null, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"containers/{Escape(id)}/start" + Query(("detachKeys", detachKeys)), null, cancellationToken);

    public Task ContainerStopAsync(string id, int? timeout = null, string? signal = null, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"containers/{Escape(id)}/stop" + Query(("t", Number(timeout)), ("signal", signal)), null, cancellationToken);

    public Task ContainerRestartAsync(string id, int? timeout = null, string? signal = null, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"containers/{Escape(id)}/restart" + Query(("t", Number(timeout)), ("signal", signal)), null, cancellationToken);

    public Task ContainerKillAsync(string id, string? signal = null, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"containers/{Escape(id)}/kill" + Query(("signal", signal)), null, cancellationToken);

    public Task ContainerPauseAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"containers/{Escape(id)}/pause", null, cancellationToken);

    public Task ContainerUnpauseAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"containers/{Escape(id)}/unpause", null, cancellationToken);

    public Task ContainerRemoveAsync(string id, bool force = false, bool volumes = false, bool link = false, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"containers/{Escape(id)}" + Query(("force", Flag(force)), ("v", Flag(volumes)), ("link", Flag(link))), null, cancellationToken);

    public Task ContainerRenameAsync(string id, string newName, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"containers/{Escape(id)}/rename" + Query(("name", newName)), null, cancellationToken);

    public Task ContainerResizeAsync(string id, int height, int width, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"containers/{Escape(id)}/resize" + Query(("h", Number(height)), ("w", Number(width))), null, cancellationToken);

    /// <summary>Blocks until the condition ("not-running", "next-exit", "removed") holds.</summary>
    public Task<ContainerWaitResponse> ContainerWaitAsync(string id, string? condition = null, CancellationToken cancellationToken = default) =>
        LongPollAsync(HttpMethod.Post, $"containers/{Escape(id)}/wait" + Query(("condition", condition)), ReplyReader.Waited, cancellationToken);

    public Task<ContainerTopResponse> ContainerTopAsync(string id, string? psArgs = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"containers/{Escape(id)}/top" + Query(("ps_args", psArgs)), Types.ContainerTopResponse, null, cancellationToken);

    public Task<ContainerPruneResponse> ContainerPruneAsync(string? filters = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "containers/prune" + Query(("filters", filters)), Types.ContainerPruneResponse, null, cancellationToken);

    /// <summary>The log stream: multiplexed frames unless the container has a TTY. Dispose the response when done.</summary>
    public Task<HttpResponseMessage> ContainerLogsAsync(string id, ContainerLogsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SendAsync(HttpMethod.Get, $"containers/{Escape(id)}/logs" + Query(
            ("stdout", Flag(options.Stdout)), ("stderr", Flag(options.Stderr)), ("follow", Flag(options.Follow)),
            ("timestamps", Flag(options.Timestamps)), ("since", options.Since), ("until", options.Until), ("tail", options.Tail)),
            null, stream: true, headers: null, cancellationToken);
    }

    /// <summary>POST /containers/{id}/attach with the HTTP upgrade.</summary>
    public Task<HijackedConnection> ContainerAttachAsync(string id, bool stdin, bool stdout, bool stderr, string? detachKeys = null, bool logs = false, CancellationToken cancellationToken = default) =>
        HijackAsync($"containers/{Escape(id)}/attach" + Query(("stream", "1"), ("stdin", Flag(stdin)), ("stdout", Flag(stdout)),
            ("stderr", Flag(stderr)), ("logs", Flag(logs)), ("detachKeys", detachKeys)), null, cancellationToken);

    /// <summary>GET /containers/{id}/archive: a tar stream, and the path's stat from the header.</summary>
    public async Task<(HttpResponseMessage Response, ContainerPathStat? Stat)> ContainerArchiveGetAsync(string id, string path, CancellationToken cancellationToken = default)
    {
        HttpResponseMessage response = await SendAsync(HttpMethod.Get, $"containers/{Escape(id)}/archive" + Query(("path", path)), null, stream: true, headers: null, cancellationToken);
        return (response, PathStat(response));
    }

    public async Task<ContainerPathStat?> ContainerArchiveStatAsync(string id, string path, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Head, $"containers/{Escape(id)}/archive" + Query(("path", path)), null, cancellationToken);
        return PathStat(response);
    }

    public Task ContainerArchivePutAsync(string id, string path, Stream tar, bool noOverwriteDirNonDir = false, bool copyUidGid = false, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Put, $"containers/{Escape(id)}/archive" + Query(("path", path),
            ("noOverwriteDirNonDir", noOverwriteDirNonDir ? "true" : null), ("copyUIDGID", copyUidGid ? "true" : null)),
            new StreamContent(tar) { Headers = { ContentType = new("application/x-tar") } }, cancellationToken);

    private static ContainerPathStat? PathStat(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(ContainerPathStat.HeaderName, out var values) || values.FirstOrDefault() is not { } header)
        {
            return null;
        }

        try
        {
            byte[] json = Convert.FromBase64String(header);
            return JsonSerializer.Deserialize(json, Types.ContainerPathStat);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
