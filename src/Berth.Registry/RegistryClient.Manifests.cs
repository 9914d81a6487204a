using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;
using Berth.Registry.Manifests;

namespace Berth.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>Docker's refusal of schema 1 manifests (moby distribution/pull_v2.go), word for word.</summary>
    internal static string Schema1Refusal(ImageReference reference) =>
        $"[DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. " +
        $"Suggest the author of {reference.FamiliarString} to upgrade the image to the OCI Format or Docker Image manifest v2, schema 2. " +
        "More information at https://docs.docker.com/go/deprecated-image-specs/";

    /// <summary>HEAD of a manifest by tag or digest: its descriptor without the body.</summary>
    public async Task<Descriptor> HeadManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using HttpResponseMessage response = await SendAsync(
            HttpMethod.Head, ManifestUri(reference), PullScope(reference.Repository), AcceptManifests, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrors.FromResponseAsync(response, RegistryErrors.Subject.Manifest, reference.FamiliarString, cancellationToken);
        }

        string mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        RefuseSchema1(mediaType, reference);
        Digest? headerDigest = HeaderDigest(response, reference);
        Digest digest = reference.Digest ?? headerDigest
            ?? throw new BerthException(ErrorKind.Unavailable, $"{reference.RegistryApiHost} did not send {HeaderNames.DockerContentDigest} for {reference.FamiliarString}");
        if (reference.Digest is { } wanted && headerDigest is { } got && got != wanted)
        {
            throw DigestMismatch(reference, wanted, got);
        }

        return new Descriptor(mediaType, digest, response.Content.Headers.ContentLength ?? 0);
    }

    /// <summary>
    /// GET of a manifest or index by tag or digest. The body's digest is computed; it must equal the requested
    /// digest (by digest) and the Docker-Content-Digest header when one is sent.
    /// </summary>
    public async Task<RegistryManifest> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using HttpResponseMessage response = await SendAsync(
            HttpMethod.Get, ManifestUri(reference), PullScope(reference.Repository), AcceptManifests, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrors.FromResponseAsync(response, RegistryErrors.Subject.Manifest, reference.FamiliarString, cancellationToken);
        }

        byte[] body = await ReadLimitedAsync(response, _options.MaxManifestBytes, $"manifest for {reference.FamiliarString}", cancellationToken);
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        RefuseSchema1(mediaType, reference);
        if (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsManifest(mediaType))
        {
            mediaType = SniffMediaType(body, reference);
        }

        Digest computed = Digest.Compute(body);
        if (reference.Digest is { } wanted && wanted != computed)
        {
            throw DigestMismatch(reference, wanted, computed);
        }

        if (HeaderDigest(response, reference) is { } header && header.Algorithm == Digest.Sha256 && header != computed)
        {
            throw DigestMismatch(reference, header, computed);
        }

        return new RegistryManifest(new Descriptor(mediaType!, computed, body.Length), body);
    }

    internal static void RefuseSchema1(string? mediaType, ImageReference reference)
    {
        if (MediaTypes.IsSchema1(mediaType))
        {
            throw Errors.NotImplemented(Schema1Refusal(reference));
        }
    }

    /// <summary>For a missing or generic Content-Type: the body's own mediaType, or its shape.</summary>
    internal static string SniffMediaType(ReadOnlySpan<byte> body, ImageReference reference)
    {
        ManifestProbe? probe;
        try
        {
            probe = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.ManifestProbe);
        }
        catch (JsonException ex)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"manifest for {reference.FamiliarString} is not valid JSON: {ex.Message}", ex);
        }

        if (probe?.SchemaVersion == 1)
        {
            throw Errors.NotImplemented(Schema1Refusal(reference));
        }

        return probe switch
        {
            { MediaType: { } m } when MediaTypes.IsIndex(m) || MediaTypes.IsManifest(m) => m,
            { Manifests: not null } => MediaTypes.OciIndex,
            { Config: not null } => MediaTypes.OciManifest,
            _ => throw Errors.InvalidArgument($"manifest for {reference.FamiliarString} has unsupported media type \"{probe?.MediaType}\""),
        };
    }

    private static void AcceptManifests(HttpRequestHeaders headers)
    {
        foreach (string mediaType in MediaTypes.ManifestAccept)
        {
            headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }
    }

    private static Digest? HeaderDigest(HttpResponseMessage response, ImageReference reference)
    {
        if (!response.Headers.TryGetValues(HeaderNames.DockerContentDigest, out IEnumerable<string>? values))
        {
            return null;
        }

        string value = values.First().Trim();
        return Digest.TryParse(value, out Digest digest)
            ? digest
            : throw new BerthException(ErrorKind.Unavailable, $"{reference.RegistryApiHost} sent an invalid {HeaderNames.DockerContentDigest} \"{value}\"");
    }

    private static BerthException DigestMismatch(ImageReference reference, Digest expected, Digest actual) =>
        Errors.FailedPrecondition($"manifest verification failed for {reference.FamiliarString}: digest mismatch: expected {expected}, got {actual}");

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw Errors.InvalidArgument($"{what} is larger than {limit} bytes");
        }

        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                throw Errors.InvalidArgument($"{what} is larger than {limit} bytes");
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    private Uri ManifestUri(ImageReference reference)
    {
        string tagOrDigest = reference.Digest?.ToString() ?? reference.Tag ?? ImageReference.DefaultTag;
        return new Uri(BaseUri(reference.RegistryApiHost), $"{reference.Repository}/manifests/{tagOrDigest}");
    }

}
