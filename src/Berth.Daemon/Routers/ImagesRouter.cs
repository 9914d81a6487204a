using Berth.Api.Auth;
using Berth.Api.Images;
using Berth.Api.Json;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Daemon.Backends;
using Berth.Daemon.Http;

namespace Berth.Daemon.Routers;

/// <summary>Images: pull, list, inspect, history, tag, remove, push, save, load, prune, and <c>/auth</c>.</summary>
internal sealed class ImagesRouter(IImageBackend backend) : IApiRouter
{
    private static readonly string[] ListFilters = ["before", "dangling", "label", "reference", "since", "until"];
    private static readonly string[] PruneFilters = ["dangling", "label", "label!", "until"];

    public void Map(ApiRouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(routes);

        // Literal paths first: an image may not be called "json", but the templates below would take it.
        routes.Post("/images/create", PullAsync);
        routes.Get("/images/json", ListAsync);
        routes.Get("/images/get", SaveAsync);
        routes.Post("/images/load", LoadAsync);
        routes.Post("/images/prune", PruneAsync);
        routes.Post("/auth", LoginAsync);
        routes.Get("/images/{name*}/json", InspectAsync);
        routes.Get("/images/{name*}/history", HistoryAsync);
        routes.Get("/images/{name*}/get", SaveOneAsync);
        routes.Post("/images/{name*}/tag", TagAsync);
        routes.Post("/images/{name*}/push", PushAsync);
        routes.Delete("/images/{name*}", DeleteAsync);
    }

    private async Task PullAsync(ApiRequest request)
    {
        string? fromImage = request.Query("fromImage");
        if (string.IsNullOrEmpty(fromImage))
        {
            throw request.Query("fromSrc") is null
                ? Errors.InvalidArgument("fromImage or fromSrc is required")
                : Errors.NotImplemented("image import (fromSrc) is not supported");
        }

        ImageReference reference = ParseWithTag(fromImage, request.Query("tag"));
        string? platformText = request.Query("platform");
        Platform? platform = string.IsNullOrEmpty(platformText) ? null : Platform.Parse(platformText);
        AuthConfig? auth = RegistryAuthHeader.Decode(request.Context.Request.Headers[AuthConfig.HeaderName]);
        await ProgressStreamWriter.WriteAsync(request, backend.PullAsync(reference, platform, auth, request.Aborted));
    }

    /// <summary>moby's pull: <c>tag</c> is appended as a tag, or as a digest when it looks like one.</summary>
    internal static ImageReference ParseWithTag(string image, string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return ImageReference.Parse(image);
        }

        return ImageReference.Parse(image + (tag.Contains(':', StringComparison.Ordinal) ? "@" : ":") + tag);
    }

    private async Task ListAsync(ApiRequest request)
    {
        FilterSet filters = request.QueryFilters();
        ApiRequest.ValidateFilters(filters, ListFilters);
        var options = new ImageListOptions
        {
            All = request.QueryBool("all"),
            Filters = filters,
            SharedSize = request.QueryBool("shared-size"),
            Digests = request.QueryBool("digests"),
        };
        IReadOnlyList<ImageSummary> images = await backend.ListAsync(options, request.Aborted);

        // VirtualSize left the API in 1.44; older clients still expect it (equal to Size since layers are shared).
        bool legacy = request.Version < new ApiVersion(1, 44);
        List<ImageSummary> shaped = [.. images.Select(i => i with { VirtualSize = legacy ? i.VirtualSize ?? i.Size : null })];
        await request.WriteJsonAsync(shaped, ApiJsonContext.Default.ListImageSummary);
    }

    private async Task InspectAsync(ApiRequest request)
    {
        ImageInspectResponse image = await backend.InspectAsync(request.Route("name"), request.Aborted);
        bool legacy = request.Version < new ApiVersion(1, 44);
        await request.WriteJsonAsync(image with { VirtualSize = legacy ? image.VirtualSize ?? image.Size : null }, ApiJsonContext.Default.ImageInspectResponse);
    }

    private async Task HistoryAsync(ApiRequest request)
    {
        IReadOnlyList<ImageHistoryItem> history = await backend.HistoryAsync(request.Route("name"), request.Aborted);
        await request.WriteJsonAsync([.. history], ApiJsonContext.Default.ListImageHistoryItem);
    }

    private async Task TagAsync(ApiRequest request)
    {
        string? repo = request.Query("repo");
        if (string.IsNullOrEmpty(repo))
        {
            throw Errors.InvalidArgument("repository name must have at least one component");
        }

        string? tag = request.Query("tag");
        ImageReference target = ImageReference.Parse(string.IsNullOrEmpty(tag) ? repo : repo + ":" + tag);
        if (target.Digest is not null)
        {
            throw Errors.InvalidArgument("refusing to create a tag with a digest reference");
        }

        await backend.TagAsync(request.Route("name"), target, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status201Created;
    }

    private async Task DeleteAsync(ApiRequest request)
    {
        IReadOnlyList<ImageDeleteResponseItem> items = await backend.DeleteAsync(
            request.Route("name"), request.QueryBool("force"), request.QueryBool("noprune"), request.Aborted);
        await request.WriteJsonAsync([.. items], ApiJsonContext.Default.ListImageDeleteResponseItem);
    }

    private async Task PushAsync(ApiRequest request)
    {
        ImageReference reference = ParseWithTag(request.Route("name"), request.Query("tag"));
        AuthConfig? auth = RegistryAuthHeader.Decode(request.Context.Request.Headers[AuthConfig.HeaderName]);
        await ProgressStreamWriter.WriteAsync(request, backend.PushAsync(reference, auth, request.Aborted));
    }

    private Task SaveAsync(ApiRequest request)
    {
        IReadOnlyList<string> names = request.QueryAll("names");
        return names.Count == 0 ? throw Errors.InvalidArgument("no images specified (names)") : SaveNamesAsync(request, names);
    }

    private Task SaveOneAsync(ApiRequest request) => SaveNamesAsync(request, [request.Route("name")]);

    private async Task SaveNamesAsync(ApiRequest request, IReadOnlyList<string> names)
    {
        request.Response.ContentType = "application/x-tar";
        await backend.SaveAsync(names, request.Response.Body, request.Aborted);
    }

    private async Task LoadAsync(ApiRequest request)
    {
        bool quiet = request.QueryBool("quiet");
        IAsyncEnumerable<Core.Progress.ProgressEvent> events = backend.LoadAsync(request.Context.Request.Body, request.Aborted);
        if (quiet)
        {
            events = events.Where(e => e.Id is null);
        }

        await ProgressStreamWriter.WriteAsync(request, events, ProgressStreamWriter.ToLoadMessage);
    }

    private async Task PruneAsync(ApiRequest request)
    {
        FilterSet filters = request.QueryFilters();
        ApiRequest.ValidateFilters(filters, PruneFilters);
        await request.WriteJsonAsync(await backend.PruneAsync(filters, request.Aborted), ApiJsonContext.Default.ImagePruneResponse);
    }

    private async Task LoginAsync(ApiRequest request)
    {
        AuthConfig auth = await request.ReadJsonAsync(ApiJsonContext.Default.AuthConfig);
        await request.WriteJsonAsync(await backend.LoginAsync(auth, request.Aborted), ApiJsonContext.Default.AuthResponse);
    }
}
