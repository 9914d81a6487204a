using System.Globalization;
using Berth.Api;
using Berth.Api.Containers;
using Berth.Api.Images;
using Berth.Core.Images;

namespace Berth.Daemon.Backends;

/// <summary>Core image records in the Engine API's shapes (<c>GET /images/json</c>, <c>/images/{name}/json</c>, history).</summary>
internal static class ImageMapper
{
    public const string MissingId = "<missing>";

    public static ImageSummary ToSummary(ImageRecord image) => new()
    {
        Id = image.Id.ToString(),
        ParentId = "",
        RepoTags = image.RepoTags,
        RepoDigests = image.RepoDigests,
        Created = image.Created?.ToUnixTimeSeconds() ?? 0,
        Size = image.Size,
        SharedSize = -1,
        Labels = image.Config.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>(),
        Containers = -1,
    };

    /// <summary>What <c>GET /images/json</c> said for untagged images before API 1.43 (moby#45068): the placeholders
    /// <c>&lt;none&gt;:&lt;none&gt;</c> and <c>&lt;none&gt;@&lt;none&gt;</c> instead of empty lists. The router applies it
    /// by the request's version.</summary>
    public static ImageSummary ForApiVersion(ImageSummary summary, Http.ApiVersion version)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return version >= LegacyNoneVersion
            ? summary
            : summary with
            {
                RepoTags = summary.RepoTags.Count == 0 ? ["<none>:<none>"] : summary.RepoTags,
                RepoDigests = summary.RepoDigests.Count == 0 ? ["<none>@<none>"] : summary.RepoDigests,
            };
    }

    private static readonly Http.ApiVersion LegacyNoneVersion = Http.ApiVersion.Parse("1.43");

    /// <param name="graphDriver">The storage driver's name and data (overlay2: LowerDir/UpperDir/…), as the daemon knows them.</param>
    public static ImageInspectResponse ToInspect(ImageRecord image, GraphDriverData graphDriver) => new()
    {
        Id = image.Id.ToString(),
        RepoTags = image.RepoTags,
        RepoDigests = image.RepoDigests,
        Parent = "",
        Comment = image.History.Count > 0 ? image.History[^1].Comment ?? "" : "",
        Created = image.Created is { } created ? Rfc3339Nano(created) : null,
        Author = image.Author ?? "",
        Config = ToConfig(image.Config),
        Architecture = image.Architecture,
        Variant = image.Variant,
        Os = image.OS,
        Size = image.Size,
        GraphDriver = graphDriver,
        RootFS = new ImageRootFs { Type = "layers", Layers = image.DiffIds.Select(d => d.ToString()).ToList() },
        Metadata = new ImageMetadata { LastTagTime = Rfc3339Nano(image.Pulled) },
    };

    /// <summary>An image's healthcheck as the API's HealthConfig (image inspect, and the default of a container's).</summary>
    public static HealthConfig? ToHealthConfig(ImageHealthcheck? health) => health is null ? null : new HealthConfig
    {
        Test = health.Test,
        Interval = health.Interval,
        Timeout = health.Timeout,
        StartPeriod = health.StartPeriod,
        StartInterval = health.StartInterval,
        Retries = health.Retries,
    };

    public static Api.Images.ImageConfig ToConfig(Core.Images.ImageConfig config) => new()
    {
        User = config.User ?? "",
        ExposedPorts = config.ExposedPorts?.ToDictionary(p => p, _ => EmptyObject.Instance, StringComparer.Ordinal),
        Env = config.Env,
        Cmd = StrSlice.From(config.Cmd),
        Healthcheck = ToHealthConfig(config.Healthcheck),
        Volumes = config.Volumes?.ToDictionary(v => v, _ => EmptyObject.Instance, StringComparer.Ordinal),
        WorkingDir = config.WorkingDir ?? "",
        Entrypoint = StrSlice.From(config.Entrypoint),
        Labels = config.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : null,
        StopSignal = config.StopSignal,
        Shell = config.Shell,
    };

    /// <summary><c>docker history</c>: newest first; the top entry carries the image ID and tags, the others
    /// "&lt;missing&gt;" (their IDs are not images here, as in Docker for pulled images). <paramref name="layerSizes"/> are
    /// the unpacked sizes of the image's layers, bottom first.</summary>
    public static IReadOnlyList<ImageHistoryItem> ToHistory(ImageRecord image, IReadOnlyList<long> layerSizes)
    {
        var items = new List<ImageHistoryItem>();
        int layer = 0;
        IReadOnlyList<ImageHistoryEntry> history = image.History.Count > 0
            ? image.History
            : image.DiffIds.Select(_ => new ImageHistoryEntry()).ToList();
        foreach (ImageHistoryEntry entry in history)
        {
            long size = 0;
            if (!entry.EmptyLayer)
            {
                size = layer < layerSizes.Count ? layerSizes[layer] : 0;
                layer++;
            }

            items.Add(new ImageHistoryItem
            {
                Id = MissingId,
                Created = (entry.Created ?? image.Created)?.ToUnixTimeSeconds() ?? 0,
                CreatedBy = entry.CreatedBy ?? "",
                Size = size,
                Comment = entry.Comment ?? "",
            });
        }

        items.Reverse();
        if (items.Count > 0)
        {
            items[0] = items[0] with { Id = image.Id.ToString(), Tags = image.RepoTags };
        }

        return items;
    }

    public static ImageDeleteResponseItem ToDeleteItem(ImageRemoval removal) => new() { Untagged = removal.Untagged, Deleted = removal.Deleted };

    /// <summary>Go's time.RFC3339Nano: UTC, fraction without trailing zeros (none when whole seconds).</summary>
    public static string Rfc3339Nano(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
