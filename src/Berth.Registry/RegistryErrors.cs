using System.Net;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Registry;

/// <summary>Maps a failed registry response (status + distribution error body) onto Berth's error kinds.</summary>
internal static class RegistryErrors
{
    public const string ManifestUnknown = "MANIFEST_UNKNOWN";
    public const string NameUnknown = "NAME_UNKNOWN";
    public const string BlobUnknown = "BLOB_UNKNOWN";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Denied = "DENIED";
    public const string TooManyRequests = "TOOMANYREQUESTS";

    private const int MaxErrorBody = 64 << 10;

    /// <summary>What a request was for, so the message names it the way Docker does.</summary>
    internal enum Subject
    {
        Other,
        Manifest,
        Blob,
    }

    public static async Task<BerthException> FromResponseAsync(
        HttpResponseMessage response, Subject subject, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        byte[] body = [];
        if (response.RequestMessage?.Method != HttpMethod.Head)
        {
            body = await ReadLimitedAsync(response.Content, cancellationToken);
        }

        return FromBody(response.StatusCode, body, subject, what);
    }

    public static BerthException FromBody(HttpStatusCode status, ReadOnlySpan<byte> body, Subject subject, string what)
    {
        DistributionError? first = Parse(body);
        string code = first?.Code ?? status switch
        {
            HttpStatusCode.NotFound => subject switch { Subject.Manifest => ManifestUnknown, Subject.Blob => BlobUnknown, _ => "" },
            HttpStatusCode.Unauthorized => Unauthorized,
            HttpStatusCode.Forbidden => Denied,
            HttpStatusCode.TooManyRequests => TooManyRequests,
            _ => "",
        };
        string detail = first?.ToString() ?? code switch
        {
            ManifestUnknown => "manifest unknown",
            BlobUnknown => "blob unknown",
            Unauthorized => "unauthorized: authentication required",
            Denied => "denied: requested access to the resource is denied",
            TooManyRequests => "toomanyrequests: too many requests",
            _ => $"unexpected status from registry: {(int)status} {status}",
        };

        return code switch
        {
            ManifestUnknown => new BerthException(ErrorKind.NotFound, $"manifest for {what} not found: {detail}"),
            NameUnknown => new BerthException(ErrorKind.NotFound, $"repository for {what} not found: {detail}"),
            BlobUnknown => new BerthException(ErrorKind.NotFound, $"blob {what} not found: {detail}"),
            Unauthorized or Denied => new BerthException(ErrorKind.PermissionDenied, $"pull access denied for {what}: {detail}"),
            TooManyRequests => new BerthException(ErrorKind.Unavailable, $"{what}: {detail}"),
            _ when status == HttpStatusCode.NotFound => new BerthException(ErrorKind.NotFound, $"{what} not found: {detail}"),
            _ when (int)status >= 500 => new BerthException(ErrorKind.Unavailable, $"{what}: {detail}"),
            _ => new BerthException(ErrorKind.Internal, $"{what}: {detail}"),
        };
    }

    private static DistributionError? Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            DistributionErrors? errors = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.DistributionErrors);
            return errors?.Errors is [{ Code.Length: > 0 } e, ..] ? e : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using Stream stream = await content.ReadAsStreamAsync(cancellationToken);
        byte[] buffer = new byte[MaxErrorBody];
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return buffer[..total];
    }
}
