using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;

namespace Berth.Registry;

internal sealed partial class RegistryClient
{
    private const string OctetStream = "application/octet-stream";

    internal static string PushScope(string repository) => $"repository:{repository}:pull,push";

    /// <summary>HEAD of a blob in <paramref name="repository"/>: true when the registry already has it there.</summary>
    public async Task<bool> BlobExistsAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        Uri uri = new(BaseUri(repository.RegistryApiHost), $"{repository.Repository}/blobs/{digest}");
        using HttpResponseMessage response = await SendAsync(HttpMethod.Head, uri, PushScope(repository.Repository), null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await PushErrorAsync(response, repository, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Asks the registry to mount <paramref name="digest"/> from <paramref name="fromRepository"/> (same registry)
    /// instead of uploading it. True when mounted (201); false when the registry declined, in which case the upload
    /// session it opened instead is cancelled.
    /// </summary>
    public async Task<bool> MountBlobAsync(
        ImageReference repository, Digest digest, string fromRepository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(fromRepository);
        Uri uri = new(BaseUri(repository.RegistryApiHost),
            $"{repository.Repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}");
        using HttpResponseMessage response = await SendAsync(
            HttpMethod.Post, uri, PushScope(repository.Repository), null, cancellationToken, EmptyBody);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            await CancelUploadQuietlyAsync(repository, UploadLocation(response, uri));
            return false;
        }

        throw await PushErrorAsync(response, repository, cancellationToken);
    }

    /// <summary>
    /// Uploads a blob whose bytes <paramref name="open"/> returns (called again if a request must be resent):
    /// POST then one PUT when it fits in <paramref name="chunkSize"/>, otherwise POST, PATCH per chunk, closing PUT.
    /// <paramref name="uploaded"/> hears the bytes sent so far.
    /// </summary>
    public async Task UploadBlobAsync(
        ImageReference repository, Descriptor blob, Func<CancellationToken, Task<Stream>> open, long chunkSize,
        Action<long>? uploaded = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        string scope = PushScope(repository.Repository);
        Uri start = new(BaseUri(repository.RegistryApiHost), $"{repository.Repository}/blobs/uploads/");
        Uri location;
        using (HttpResponseMessage response = await SendAsync(HttpMethod.Post, start, scope, null, cancellationToken, EmptyBody))
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw await PushErrorAsync(response, repository, cancellationToken);
            }

            location = UploadLocation(response, start);
        }

        try
        {
            if (blob.Size <= chunkSize)
            {
                byte[] bytes = await ReadAllAsync(open, blob, cancellationToken);
                await FinishUploadAsync(repository, location, blob.Digest, bytes, cancellationToken);
                uploaded?.Invoke(bytes.Length);
                return;
            }

            await using Stream source = await open(cancellationToken);
            byte[] buffer = new byte[(int)Math.Min(chunkSize, int.MaxValue - 64)];
            long offset = 0;
            while (offset < blob.Size)
            {
                int filled = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (filled == 0)
                {
                    throw Errors.FailedPrecondition($"blob {blob.Digest} ended after {offset} of {blob.Size} bytes");
                }

                long first = offset;
                byte[] chunk = buffer;
                using HttpResponseMessage response = await SendAsync(HttpMethod.Patch, location, scope, null, cancellationToken, () =>
                {
                    var content = new ByteArrayContent(chunk, 0, filled);
                    content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
                    content.Headers.TryAddWithoutValidation("Content-Range", $"{first}-{first + filled - 1}");
                    return content;
                });
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw await PushErrorAsync(response, repository, cancellationToken);
                }

                location = UploadLocation(response, location);
                offset += filled;
                uploaded?.Invoke(offset);
            }

            await FinishUploadAsync(repository, location, blob.Digest, [], cancellationToken);
        }
        catch
        {
            await CancelUploadQuietlyAsync(repository, location);
            throw;
        }
    }

    /// <summary>PUTs a manifest or index with exactly <paramref name="content"/> (so its digest is the one stored)
    /// under <paramref name="tagOrDigest"/>; returns the digest the registry reports.</summary>
    public async Task<Digest> PutManifestAsync(
        ImageReference repository, string tagOrDigest, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrEmpty(tagOrDigest);
        Uri uri = new(BaseUri(repository.RegistryApiHost), $"{repository.Repository}/manifests/{tagOrDigest}");
        byte[] body = content.ToArray();
        using HttpResponseMessage response = await SendAsync(HttpMethod.Put, uri, PushScope(repository.Repository), null, cancellationToken, () =>
        {
            var bytes = new ByteArrayContent(body);
            bytes.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return bytes;
        });
        if (!response.IsSuccessStatusCode)
        {
            throw await PushErrorAsync(response, repository, cancellationToken);
        }

        Digest computed = Digest.Compute(body);
        if (response.Headers.TryGetValues(HeaderNames.DockerContentDigest, out IEnumerable<string>? values) &&
            Digest.TryParse(values.First().Trim(), out Digest reported) && reported.Algorithm == computed.Algorithm && reported != computed)
        {
            throw Errors.FailedPrecondition($"{repository.RegistryApiHost} stored manifest {reported}, expected {computed}");
        }

        return computed;
    }

    private static HttpContent EmptyBody() => new ByteArrayContent([]);

    private async Task FinishUploadAsync(ImageReference repository, Uri location, Digest digest, byte[] bytes, CancellationToken cancellationToken)
    {
        string separator = location.Query.Length > 1 ? "&" : "?";
        Uri put = new($"{location.GetLeftPart(UriPartial.Query)}{separator}digest={Uri.EscapeDataString(digest.ToString())}");
        using HttpResponseMessage response = await SendAsync(HttpMethod.Put, put, PushScope(repository.Repository), null, cancellationToken, () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
            return content;
        });
        if (response.StatusCode != HttpStatusCode.Created && !response.IsSuccessStatusCode)
        {
            throw await PushErrorAsync(response, repository, cancellationToken);
        }
    }

    private async Task CancelUploadQuietlyAsync(ImageReference repository, Uri location)
    {
        try
        {
            using HttpResponseMessage response = await SendAsync(HttpMethod.Delete, location, PushScope(repository.Repository), null, CancellationToken.None);
        }
        catch (BerthException)
        {
            // The registry expires abandoned upload sessions itself.
        }
    }

    private static Uri UploadLocation(HttpResponseMessage response, Uri requestUri) =>
        response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(requestUri, location)
            : throw new BerthException(ErrorKind.Unavailable, $"{requestUri.Authority} answered an upload request without a Location");

    private static async Task<byte[]> ReadAllAsync(Func<CancellationToken, Task<Stream>> open, Descriptor blob, CancellationToken cancellationToken)
    {
        await using Stream source = await open(cancellationToken);
        byte[] bytes = new byte[blob.Size];
        int read = await source.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
        return read == bytes.Length
            ? bytes
            : throw Errors.FailedPrecondition($"blob {blob.Digest} ended after {read} of {blob.Size} bytes");
    }

    /// <summary>Registry errors worded for a push: Docker prints the registry's own "unauthorized: …"/"denied: …".</summary>
    private static async Task<BerthException> PushErrorAsync(HttpResponseMessage response, ImageReference repository, CancellationToken cancellationToken)
    {
        BerthException error = await RegistryErrors.FromResponseAsync(response, RegistryErrors.Subject.Other, repository.FamiliarName, cancellationToken);
        if (error.Kind == ErrorKind.PermissionDenied)
        {
            string prefix = $"pull access denied for {repository.FamiliarName}: ";
            string message = error.Message.StartsWith(prefix, StringComparison.Ordinal) ? error.Message[prefix.Length..] : error.Message;
            return new BerthException(ErrorKind.PermissionDenied, message);
        }

        return error.Kind == ErrorKind.Internal
            ? new BerthException(ErrorKind.Unavailable, string.Create(CultureInfo.InvariantCulture, $"pushing to {repository.RegistryApiHost}: {error.Message}"))
            : error;
    }
}
