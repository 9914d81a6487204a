using Berth.Api.Json;
using Berth.Api.Streams;
using Berth.Core.Progress;

namespace Berth.Daemon.Http;

/// <summary>
/// Streams <see cref="ProgressEvent"/>s as Docker's JSON lines. A failure before the first line is an ordinary HTTP
/// error (the dispatcher answers it); after it, the error travels in-band as <c>errorDetail</c> + <c>error</c>, as
/// moby does once output has started.
/// </summary>
internal static class ProgressStreamWriter
{
    public static async Task WriteAsync(ApiRequest request, IAsyncEnumerable<ProgressEvent> events, Func<ProgressEvent, JsonMessage>? map = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(events);
        map ??= ToMessage;
        var writer = new JsonLinesWriter(request.Response);
        try
        {
            await foreach (ProgressEvent item in events.WithCancellation(request.Aborted))
            {
                await writer.WriteAsync(map(item), ApiJsonContext.Default.JsonMessage, request.Aborted);
            }
        }
        catch (Exception ex) when (writer.Started && !request.Aborted.IsCancellationRequested)
        {
            var error = new JsonMessage { ErrorDetail = new ErrorDetail { Message = ex.Message }, Error = ex.Message };
            await writer.WriteAsync(error, ApiJsonContext.Default.JsonMessage, request.Aborted);
            return;
        }

        if (!writer.Started)
        {
            request.Response.StatusCode = StatusCodes.Status200OK;
            request.Response.ContentType = "application/json";
        }
    }

    public static JsonMessage ToMessage(ProgressEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new JsonMessage
        {
            Status = item.Status,
            Id = item.Id,
            ProgressDetail = item.Current is null && item.Total is null
                ? (item.Id is null ? null : new ProgressDetail())
                : new ProgressDetail { Current = item.Current, Total = item.Total },
        };
    }

    /// <summary>Load's shape: image lines ("Loaded image: x") as <c>stream</c>, layer lines as status.</summary>
    public static JsonMessage ToLoadMessage(ProgressEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Id is null ? new JsonMessage { Stream = item.Status + "\n" } : ToMessage(item);
    }
}
