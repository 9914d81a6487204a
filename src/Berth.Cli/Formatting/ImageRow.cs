using Berth.Api.Images;

namespace Berth.Cli.Formatting;

/// <summary>docker's ImageContext: one row per repository:tag of an image summary (or one `&lt;none&gt;` row).</summary>
internal sealed class ImageRow : TemplateRow
{
    public const string DefaultTable = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public const string DefaultTableWithDigests = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["ID"] = "IMAGE ID", ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["Size"] = "SIZE", ["Containers"] = "CONTAINERS",
        ["SharedSize"] = "SHARED SIZE", ["UniqueSize"] = "UNIQUE SIZE", ["VirtualSize"] = "VIRTUAL SIZE",
    };

    private ImageRow(ImageSummary image, string repository, string tag, string digest, bool truncate, DateTimeOffset now) : base("*formatter.ImageContext")
    {
        Add("ID", () => truncate ? TableFormatter.TruncateId(image.Id) : image.Id);
        Add("Repository", () => repository);
        Add("Tag", () => tag);
        Add("Digest", () => digest);
        Add("CreatedSince", () => image.Created <= 0 ? "N/A" : HumanUnits.Duration(now - DateTimeOffset.FromUnixTimeSeconds(image.Created)) + " ago");
        Add("CreatedAt", () => HumanUnits.GoTime(image.Created));
        Add("Size", () => HumanUnits.Size(image.Size));
        Add("VirtualSize", () => HumanUnits.Size(image.Size));
        Add("SharedSize", () => image.SharedSize < 0 ? "N/A" : HumanUnits.Size(image.SharedSize));
        Add("UniqueSize", () => image.SharedSize < 0 ? "N/A" : HumanUnits.Size(image.Size - image.SharedSize));
        Add("Containers", () => image.Containers < 0 ? "N/A" : image.Containers.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Rows as docker's imageFormat builds them: each tag of each repository; digests-only repositories with tag &lt;none&gt;.</summary>
    public static IEnumerable<ImageRow> For(ImageSummary image, bool truncate, bool showDigests, DateTimeOffset now)
    {
        var repoDigests = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string d in image.RepoDigests)
        {
            int at = d.IndexOf('@', StringComparison.Ordinal);
            if (at > 0 && d[..at] != "<none>")
            {
                repoDigests.TryAdd(d[..at], []);
                repoDigests[d[..at]].Add(d[(at + 1)..]);
            }
        }

        var repoTags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string t in image.RepoTags)
        {
            int colon = t.LastIndexOf(':');
            if (colon > t.LastIndexOf('/') && t[..colon] != "<none>")
            {
                repoTags.TryAdd(t[..colon], []);
                repoTags[t[..colon]].Add(t[(colon + 1)..]);
            }
        }

        if (repoTags.Count == 0 && repoDigests.Count == 0)
        {
            yield return new ImageRow(image, "<none>", "<none>", "<none>", truncate, now);
            yield break;
        }

        foreach (string repo in repoTags.Keys.Union(repoDigests.Keys))
        {
            List<string> tags = repoTags.GetValueOrDefault(repo) ?? [];
            List<string> digests = repoDigests.GetValueOrDefault(repo) ?? [];
            if (tags.Count == 0)
            {
                // Only digests: one row per digest with --digests, else a single <none> tag row.
                foreach (string digest in showDigests ? digests : digests.Take(1))
                {
                    yield return new ImageRow(image, repo, "<none>", digest, truncate, now);
                }

                continue;
            }

            foreach (string tag in tags)
            {
                yield return new ImageRow(image, repo, tag, digests.FirstOrDefault() ?? "<none>", truncate, now);
            }
        }
    }
}
