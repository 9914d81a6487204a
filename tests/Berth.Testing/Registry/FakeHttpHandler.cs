using System.Collections.Concurrent;

namespace Berth.Testing.Registry;

/// <summary>
/// An in-memory HTTP server for client logic tests: <see cref="Respond"/> answers every request, and every request
/// (with its Authorization header, captured before the client disposes it) is recorded in order.
/// </summary>
public sealed class FakeHttpHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; } = respond;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _requests.Enqueue(new RecordedRequest(
            request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), request.Headers.Range?.ToString(),
            [.. request.Headers.Accept.Select(a => a.MediaType ?? "")]));
        HttpResponseMessage response = Respond(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}
