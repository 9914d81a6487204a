using System.Net;
using System.Net.Http.Headers;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Core.Images;

namespace Berth.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>
    /// Opens a blob as a stream from <paramref name="offset"/> (<c>Range: bytes=N-</c>). Redirects are followed by
    /// hand. A server that ignores Range answers 200 with the whole blob: the result's Offset is then 0.
    /// </summary>
    public async Task<BlobResponse> GetBlobAsync(
        ImageReference repository, Digest digest, long offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Uri uri = new(BaseUri(repository.RegistryApiHost), $"{repository.Repository}/blobs/{digest}");
        HttpResponseMessage response = await SendAsync(
            HttpMethod.Get, uri, PullScope(repository.Repository),
            offset > 0 ? h => h.Range = new RangeHeaderValue(offset, null) : null, cancellationToken);
        try
        {
            long start;
            long? total;
            if (offset > 0 && response.StatusCode == HttpStatusCode.PartialContent)
            {
                ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
                if (range?.From is { } from && from != offset)
                {
                    throw new BerthException(ErrorKind.Unavailable, $"blob {digest}: asked for bytes from {offset}, the server sent from {from}");
                }

                start = offset;
                total = range?.Length;
            }
            else if (response.StatusCode == HttpStatusCode.OK)
            {
                start = 0;
                total = response.Content.Headers.ContentLength;
            }
            else if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                throw Errors.InvalidArgument($"blob {digest}: offset {offset} is beyond its end");
            }
            else
            {
                throw await RegistryErrors.FromResponseAsync(response, RegistryErrors.Subject.Blob, digest.ToString(), cancellationToken);
            }

            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new BlobResponse(new ResponseStream(response, body), start, total);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Reads a small blob (an image config) whole and verifies its digest and size.</summary>
    public async Task<byte[]> GetBlobBytesAsync(
        ImageReference repository, Descriptor descriptor, int maxBytes = 8 << 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Size > maxBytes)
        {
            throw Errors.InvalidArgument($"blob {descriptor.Digest} is larger than {maxBytes} bytes");
        }

        await using BlobResponse blob = await GetBlobAsync(repository, descriptor.Digest, 0, cancellationToken);
        using var buffer = new MemoryStream();
        using var hasher = new DigestHasher(descriptor.Digest.Algorithm);
        byte[] chunk = new byte[81920];
        int n;
        while ((n = await blob.Content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > maxBytes)
            {
                throw Errors.InvalidArgument($"blob {descriptor.Digest} is larger than {maxBytes} bytes");
            }

            hasher.Append(chunk.AsSpan(0, n));
            buffer.Write(chunk, 0, n);
        }

        if (hasher.Current() != descriptor.Digest || (descriptor.Size > 0 && buffer.Length != descriptor.Size))
        {
            throw Errors.FailedPrecondition(
                $"blob {descriptor.Digest}: digest mismatch: got {hasher.Current()} ({buffer.Length} bytes, expected {descriptor.Size})");
        }

        return buffer.ToArray();
    }
}
