using System.IO.Compression;
using System.Text.Json;

namespace Berth.Testing.Engines;

/// <summary>An OCI image layout on disk and one tag in it, read directly (index.json → manifest → layer blobs).</summary>
public sealed record OciLayout(string Path, string Tag)
{
    /// <summary><c>PATH:TAG</c>, as umoci and skopeo's <c>oci:</c> transport take it.</summary>
    public string Image => $"{Path}:{Tag}";

    /// <summary>The tagged manifest's layers, bottom first: media type and blob path.</summary>
    public IReadOnlyList<(string MediaType, string BlobPath)> Layers()
    {
        using JsonDocument index = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(Path, "index.json")));
        JsonElement descriptor = index.RootElement.GetProperty("manifests").EnumerateArray().First(m =>
            m.TryGetProperty("annotations", out JsonElement a) && a.TryGetProperty("org.opencontainers.image.ref.name", out JsonElement name)
            && name.GetString() == Tag);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllBytes(BlobPath(descriptor.GetProperty("digest").GetString()!)));
        return manifest.RootElement.GetProperty("layers").EnumerateArray()
            .Select(l => (l.GetProperty("mediaType").GetString()!, BlobPath(l.GetProperty("digest").GetString()!)))
            .ToList();
    }

    /// <summary>A layer's uncompressed tar stream (gzip decompressed when the media type says so).</summary>
    public static Stream OpenLayer(string mediaType, string blobPath)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        Stream file = File.OpenRead(blobPath);
        return mediaType.EndsWith("+gzip", StringComparison.Ordinal) || mediaType.EndsWith(".gzip", StringComparison.Ordinal)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
    }

    /// <summary>Runs <c>umoci unpack</c> into <paramref name="bundle"/> and returns its rootfs.</summary>
    public async Task<string> UnpackWithUmociAsync(string bundle)
    {
        (await ChildProcess.RunAsync(EngineBinaries.Umoci, ["unpack", "--image", Image, bundle], TimeSpan.FromMinutes(2))).EnsureSuccess();
        return System.IO.Path.Combine(bundle, "rootfs");
    }

    private string BlobPath(string digest)
    {
        string[] parts = digest.Split(':', 2);
        return System.IO.Path.Combine(Path, "blobs", parts[0], parts[1]);
    }
}
