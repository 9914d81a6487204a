using System.Diagnostics.CodeAnalysis;
using Berth.Core.Content;

namespace Berth.Core.Images;

/// <summary>
/// An image reference in canonical form, <c>registry/repository[:tag][@digest]</c>, parsed and normalized as Docker
/// does (distribution/reference <c>ParseNormalizedNamed</c>): <c>hello-world</c> is
/// <c>docker.io/library/hello-world:latest</c>, <c>index.docker.io</c> is <c>docker.io</c>, a first component with a
/// <c>.</c> or <c>:</c>, or <c>localhost</c>, or uppercase letters names a registry.
/// </summary>
public sealed record ImageReference
{
    /// <summary>The canonical name of Docker Hub in references.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The host that actually serves Docker Hub's registry API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    public const string DefaultTag = "latest";

    private const string LegacyDockerHub = "index.docker.io";
    private const string OfficialPrefix = "library/";
    private const string Localhost = "localhost";
    private const int RepositoryMaxLength = 255;

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry as written in references: <c>docker.io</c> for Docker Hub, else host[:port].</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry, such as <c>library/hello-world</c>.</summary>
    public string Repository { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary><c>registry/repository</c>, without tag or digest.</summary>
    public string Name => Registry + "/" + Repository;

    /// <summary>The host[:port] to send registry API requests to (Docker Hub's API is not served on docker.io).</summary>
    public string RegistryApiHost => Registry == DockerHub ? DockerHubApiHost : Registry;

    /// <summary>The name as Docker shows it: Docker Hub's domain and the <c>library/</c> of official images dropped.</summary>
    public string FamiliarName
    {
        get
        {
            if (Registry != DockerHub)
            {
                return Name;
            }

            // Only a single component after library/ is shortened: library/a/b stays as it is (familiarizeName).
            string rest = Repository.StartsWith(OfficialPrefix, StringComparison.Ordinal) ? Repository[OfficialPrefix.Length..] : Repository;
            return rest.Contains('/', StringComparison.Ordinal) ? Repository : rest;
        }
    }

    /// <summary>The familiar name with tag and digest, as <c>docker images</c> and pull messages print it.</summary>
    public string FamiliarString => FamiliarName + Suffix();

    /// <summary>
    /// Parses and normalizes <paramref name="value"/> as <c>docker pull</c> does: a reference with neither tag nor
    /// digest gets <c>:latest</c>. Throws <see cref="Errors.ErrorKind.InvalidArgument"/> with Docker's wording.
    /// </summary>
    public static ImageReference Parse(string value)
    {
        ImageReference named = ParseNamed(value);
        return named.Tag is null && named.Digest is null ? named.WithTag(DefaultTag) : named;
    }

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = null;
        if (value is null || !TryParseNamed(value, out ImageReference? named, out _))
        {
            return false;
        }

        reference = named.Tag is null && named.Digest is null ? named.WithTag(DefaultTag) : named;
        return true;
    }

    /// <summary>Parses and normalizes without adding a default tag (<c>ParseNormalizedNamed</c> exactly).</summary>
    public static ImageReference ParseNamed(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParseNamed(value, out ImageReference? reference, out string? error)
            ? reference
            : throw Errors.Errors.InvalidArgument(error);
    }

    public ImageReference WithTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return ReferenceGrammar.AnchoredTag().IsMatch(tag)
            ? new ImageReference(Registry, Repository, tag, Digest)
            : throw Errors.Errors.InvalidArgument("invalid tag format");
    }

    public ImageReference WithDigest(Digest digest) =>
        digest.IsEmpty ? throw new ArgumentException("empty digest", nameof(digest)) : new ImageReference(Registry, Repository, Tag, digest);

    /// <summary>The same name with neither tag nor digest.</summary>
    public ImageReference WithoutTagOrDigest() => new(Registry, Repository, null, null);

    /// <summary>The canonical form, <c>docker.io/library/hello-world:latest</c>.</summary>
    public override string ToString() => Name + Suffix();

    private string Suffix() => (Tag is null ? "" : ":" + Tag) + (Digest is { } d ? "@" + d : "");

    private static bool TryParseNamed(
        string value, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (ReferenceGrammar.Identifier().IsMatch(value))
        {
            error = $"invalid repository name ({value}), cannot specify 64-byte hexadecimal strings";
            return false;
        }

        (string domain, string remainder) = SplitDockerDomain(value);
        int tagSeparator = remainder.IndexOf(':', StringComparison.Ordinal);
        string remote = tagSeparator >= 0 ? remainder[..tagSeparator] : remainder;
        if (!remote.Equals(remote.ToLowerInvariant(), StringComparison.Ordinal))
        {
            error = $"invalid reference format: repository name ({remote}) must be lowercase";
            return false;
        }

        return TryParseCanonical(domain + "/" + remainder, out reference, out error);
    }

    // reference.go Parse, applied to the domain-qualified string.
    private static bool TryParseCanonical(
        string value, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        var match = ReferenceGrammar.Reference().Match(value);
        if (!match.Success)
        {
            string lower = value.ToLowerInvariant();
            error = lower != value && ReferenceGrammar.Reference().IsMatch(lower)
                ? "repository name must be lowercase"
                : "invalid reference format";
            return false;
        }

        var name = ReferenceGrammar.AnchoredName().Match(match.Groups[1].Value);
        string registry = name.Groups[1].Value;
        string repository = name.Groups[2].Value;
        if (repository.Length > RepositoryMaxLength)
        {
            error = $"repository name must not be more than {RepositoryMaxLength} characters";
            return false;
        }

        // Go would return a name with an empty domain when the first component only parses as a path (a_b.com/x);
        // such a name can never be pulled, so it is refused here instead of failing later.
        if (registry.Length == 0)
        {
            error = "invalid reference format";
            return false;
        }

        Digest? digest = null;
        if (match.Groups[3].Success)
        {
            if (!Content.Digest.TryParse(match.Groups[3].Value, out Digest parsed, out error))
            {
                return false;
            }

            digest = parsed;
        }

        reference = new ImageReference(registry, repository, match.Groups[2].Success ? match.Groups[2].Value : null, digest);
        error = null;
        return true;
    }

    // normalize.go splitDockerDomain: decides whether the first component is a registry.
    private static (string Domain, string Remainder) SplitDockerDomain(string name)
    {
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            // A single component is always a Docker Hub official image, even "localhost" or "example.com".
            return (DockerHub, OfficialPrefix + name);
        }

        string first = name[..slash];
        string rest = name[(slash + 1)..];
        (string domain, string remainder) = first switch
        {
            Localhost => (first, rest),
            LegacyDockerHub => (DockerHub, rest),
            _ when first.AsSpan().IndexOfAny('.', ':') >= 0 => (first, rest),
            _ when !first.Equals(first.ToLowerInvariant(), StringComparison.Ordinal) => (first, rest),
            _ => (DockerHub, name),
        };

        if (domain == DockerHub && !remainder.Contains('/', StringComparison.Ordinal))
        {
            remainder = OfficialPrefix + remainder;
        }

        return (domain, remainder);
    }
}
