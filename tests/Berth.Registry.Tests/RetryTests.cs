using System.Net;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Testing.Registry;

namespace Berth.Registry.Tests;

/// <summary>GET/HEAD retries with backoff on connection failures, 429 and 5xx; other answers are final.</summary>
public sealed class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly RegistryClientOptions Fast = new() { RetryBaseDelay = TimeSpan.FromMilliseconds(1) };

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    public async Task Transient_statuses_are_retried_until_the_registry_answers(HttpStatusCode transient)
    {
        int calls = 0;
        var handler = new FakeHttpHandler(_ => ++calls < 3 ? new HttpResponseMessage(transient) : new HttpResponseMessage(HttpStatusCode.OK));
        using var client = new RegistryClient(Fast, handler);

        await client.PingAsync("registry.example.com", Ct);

        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Connection_failures_are_retried_then_reported_as_unavailable()
    {
        var handler = new FakeHttpHandler(_ => throw new HttpRequestException("Connection refused"));
        using var client = new RegistryClient(Fast with { MaxAttempts = 4 }, handler);

        BerthException e = await Assert.ThrowsAsync<BerthException>(() => client.PingAsync("registry.example.com", Ct));

        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.Contains("Connection refused", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task A_not_found_is_not_retried()
    {
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        using var client = new RegistryClient(Fast, handler);

        BerthException e = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(ImageReference.Parse("registry.example.com/app:1"), Ct));

        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Single(handler.Requests);
    }
}
