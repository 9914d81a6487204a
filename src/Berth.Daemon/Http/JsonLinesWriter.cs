using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Daemon.Http;

/// <summary>Writes one JSON document per line and flushes each, so a client renders progress as it happens.</summary>
internal sealed class JsonLinesWriter(HttpResponse response)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public bool Started => response.HasStarted;

    public async Task WriteAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
        }

        await JsonSerializer.SerializeAsync(response.Body, value, typeInfo, cancellationToken);
        await response.Body.WriteAsync(NewLine, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
