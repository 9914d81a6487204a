using System.Text.Json;
using Berth.Api.Auth;
using Berth.Api.Images;
using Berth.Api.Streams;

namespace Berth.Client;

public sealed partial class BerthClient
{
    /// <summary>POST /images/create (pull): the JSON message stream; errors inside it arrive as messages with ErrorDetail.</summary>
    public async IAsyncEnumerable<JsonMessage> ImagePullAsync(string reference, string? platform = null, string? registryAuth = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        (string image, string? tag) = SplitReference(reference);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "images/create" + Query(("fromImage", image), ("tag", tag), ("platform", platform)),
            null, stream: true, headers: Auth(registryAuth), cancellationToken);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (JsonMessage message in JsonLines.ReadAsync(body, Types.JsonMessage, cancellationToken))
        {
            yield return message;
        }
    }

    public async IAsyncEnumerable<JsonMessage> ImagePushAsync(string reference, string? registryAuth = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        (string image, string? tag) = SplitReference(reference);
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, $"images/{image}/push" + Query(("tag", tag)),
            null, stream: true, headers: Auth(registryAuth ?? "e30="), cancellationToken);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (JsonMessage message in JsonLines.ReadAsync(body, Types.JsonMessage, cancellationToken))
        {
            yield return message;
        }
    }

    public async IAsyncEnumerable<JsonMessage> ImageLoadAsync(Stream tar, bool quiet = false,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "images/load" + Query(("quiet", Flag(quiet))),
            new StreamContent(tar) { Headers = { ContentType = new("application/x-tar") } }, stream: true, headers: null, cancellationToken);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (JsonMessage message in JsonLines.ReadAsync(body, Types.JsonMessage, cancellationToken))
        {
            yield return message;
        }
    }

    /// <summary>GET /images/get: a tar of the named images. Dispose the response when done.</summary>
    public Task<HttpResponseMessage> ImageSaveAsync(IEnumerable<string> names, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "images/get?" + string.Join('&', names.Select(n => "names=" + Escape(n))), null, stream: true, headers: null, cancellationToken);

    public Task<List<ImageSummary>> ImageListAsync(bool all = false, string? filters = null, bool digests = false, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "images/json" + Query(("all", Flag(all)), ("filters", filters), ("digests", Flag(digests))), Types.ListImageSummary, null, cancellationToken);

    public Task<ImageInspectResponse> ImageInspectAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"images/{name}/json", Types.ImageInspectResponse, null, cancellationToken);

    public Task<JsonElement> ImageInspectRawAsync(string name, CancellationToken cancellationToken = default) =>
        RawJsonAsync($"images/{name}/json", cancellationToken);

    public Task<List<ImageHistoryItem>> ImageHistoryAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"images/{name}/history", Types.ListImageHistoryItem, null, cancellationToken);

    public Task ImageTagAsync(string source, string target, CancellationToken cancellationToken = default)
    {
        (string repo, string? tag) = SplitReference(target);
        return SendNoContentAsync(HttpMethod.Post, $"images/{source}/tag" + Query(("repo", repo), ("tag", tag)), null, cancellationToken);
    }

    public Task<List<ImageDeleteResponseItem>> ImageRemoveAsync(string name, bool force = false, bool noPrune = false, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"images/{name}" + Query(("force", Flag(force)), ("noprune", Flag(noPrune))), Types.ListImageDeleteResponseItem, null, cancellationToken);

    public Task<ImagePruneResponse> ImagePruneAsync(string? filters = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "images/prune" + Query(("filters", filters)), Types.ImagePruneResponse, null, cancellationToken);

    public Task<AuthResponse> AuthAsync(AuthConfig config, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "auth", Types.AuthResponse, Json(config, Types.AuthConfig), cancellationToken);

    /// <summary>Splits "name:tag" or "name@digest" the way docker's client does before POST /images/create.</summary>
    public static (string Name, string? Tag) SplitReference(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        int at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (reference[..at], reference[(at + 1)..]);
        }

        int colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') && colon >= 0 ? (reference[..colon], reference[(colon + 1)..]) : (reference, null);
    }

    private static KeyValuePair<string, string>[] Auth(string? registryAuth) =>
        registryAuth is null ? [] : [new(AuthConfig.HeaderName, registryAuth)];
}
