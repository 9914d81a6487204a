namespace Berth.Testing.Registry;

/// <summary>What <see cref="FakeHttpHandler"/> saw of one request.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string? Range, IReadOnlyList<string> Accept);
