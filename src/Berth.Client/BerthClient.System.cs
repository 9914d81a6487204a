using Berth.Api.Engine;

namespace Berth.Client;

public sealed partial class BerthClient
{
    public Task<VersionResponse> VersionAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "version", Types.VersionResponse, null, cancellationToken);

    public Task<SystemInfo> InfoAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "info", Types.SystemInfo, null, cancellationToken);

    public Task<System.Text.Json.JsonElement> InfoRawAsync(CancellationToken cancellationToken = default) =>
        RawJsonAsync("info", cancellationToken);

    public Task<DiskUsageResponse> DiskUsageAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "system/df", Types.DiskUsageResponse, null, cancellationToken);

    public async IAsyncEnumerable<EventMessage> EventsAsync(string? since = null, string? until = null, string? filters = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "events" + Query(("since", since), ("until", until), ("filters", filters)),
            null, stream: true, headers: null, cancellationToken);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (EventMessage message in JsonLines.ReadAsync(body, Types.EventMessage, cancellationToken))
        {
            yield return message;
        }
    }
}
