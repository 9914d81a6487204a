using System.Text.Json;
using Berth.Api;
using Berth.Api.Exec;
using Berth.Api.Json;

namespace Berth.Client;

public sealed partial class BerthClient
{
    public Task<IdResponse> ExecCreateAsync(string container, ExecCreateRequest body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"containers/{Escape(container)}/exec", ReplyReader.Id, Json(body, ApiWriteJsonContext.Default.ExecCreateRequest), cancellationToken);

    /// <summary>POST /exec/{id}/start with the HTTP upgrade.</summary>
    public Task<HijackedConnection> ExecStartAttachedAsync(string execId, ExecStartRequest body, CancellationToken cancellationToken = default) =>
        HijackAsync($"exec/{Escape(execId)}/start", JsonSerializer.SerializeToUtf8Bytes(body, ApiWriteJsonContext.Default.ExecStartRequest), cancellationToken);

    public Task ExecStartDetachedAsync(string execId, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"exec/{Escape(execId)}/start", Json(new ExecStartRequest { Detach = true }, ApiWriteJsonContext.Default.ExecStartRequest), cancellationToken);

    public Task<ExecInspectResponse> ExecInspectAsync(string execId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"exec/{Escape(execId)}/json", Types.ExecInspectResponse, null, cancellationToken);

    public Task ExecResizeAsync(string execId, int height, int width, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Post, $"exec/{Escape(execId)}/resize" + Query(("h", Number(height)), ("w", Number(width))), null, cancellationToken);
}
