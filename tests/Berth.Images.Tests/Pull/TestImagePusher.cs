using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Content;
using ZstdSharp;

namespace Berth.Images.Tests.Pull;

/// <summary>
/// Pushes hand-built images to a real docker-registry through the plain distribution API (POST/PUT uploads,
/// manifest PUT), so tests control compression, layer count and index entries exactly.
/// </summary>
internal sealed class TestImagePusher(string registry, HttpClient? http = null) : IDisposable
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";

    private readonly HttpClient _http = http ?? new HttpClient();
    private readonly bool _ownsHttp = http is null;

    public enum Compression
    {
        None,
        Gzip,
        Zstd,
    }

    /// <summary>Pushes an image of <paramref name="layers"/> (uncompressed tars, bottom first) and tags it; returns
    /// the manifest descriptor.</summary>
    public async Task<Descriptor> PushImageAsync(
        string repository, string tag, IReadOnlyList<byte[]> layers, Compression compression = Compression.Gzip,
        string architecture = "amd64", CancellationToken cancellationToken = default)
    {
        TestImage image = Build(layers, compression, architecture);
        foreach (byte[] blob in image.Blobs.Values)
        {
            await PushBlobAsync(repository, blob, cancellationToken);
        }

        return await PutManifestAsync(repository, tag, image.Manifest, OciManifest, cancellationToken);
    }

    /// <summary>An image's blobs (config and layers) and manifest, built in memory.</summary>
    public static TestImage Build(IReadOnlyList<byte[]> layers, Compression compression = Compression.Gzip, string architecture = "amd64")
    {
        var blobs = new Dictionary<Digest, byte[]>();
        var layerDescriptors = new JsonArray();
        var diffIds = new JsonArray();
        foreach (byte[] tar in layers)
        {
            byte[] blob = Compress(tar, compression);
            Digest digest = Digest.Compute(blob);
            blobs[digest] = blob;
            layerDescriptors.Add(new JsonObject
            {
                ["mediaType"] = MediaType(compression),
                ["digest"] = digest.ToString(),
                ["size"] = blob.Length,
            });
            diffIds.Add(Digest.Compute(tar).ToString());
        }

        var config = new JsonObject
        {
            ["created"] = "2024-01-02T03:04:05Z",
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/bin"),
                ["Cmd"] = new JsonArray("sh"),
                ["ExposedPorts"] = new JsonObject { ["80/tcp"] = new JsonObject() },
                ["Labels"] = new JsonObject { ["org.example"] = "berth" },
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
            ["history"] = new JsonArray(new JsonObject { ["created_by"] = "test", ["comment"] = "built by TestImagePusher" }),
        };
        byte[] configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        Digest configDigest = Digest.Compute(configBytes);
        blobs[configDigest] = configBytes;
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciManifest,
            ["config"] = new JsonObject { ["mediaType"] = OciConfig, ["digest"] = configDigest.ToString(), ["size"] = configBytes.Length },
            ["layers"] = layerDescriptors,
        };
        byte[] manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return new TestImage(blobs, manifestBytes, configDigest, new Descriptor(OciManifest, Digest.Compute(manifestBytes), manifestBytes.Length));
    }

    /// <summary>Pushes an index over <paramref name="entries"/> (descriptor + os/architecture, "unknown" for attestations).</summary>
    public async Task<Descriptor> PushIndexAsync(
        string repository, string tag, IReadOnlyList<(Descriptor Manifest, string OS, string Architecture)> entries, CancellationToken cancellationToken = default)
    {
        var manifests = new JsonArray();
        foreach ((Descriptor m, string os, string architecture) in entries)
        {
            var entry = new JsonObject
            {
                ["mediaType"] = m.MediaType,
                ["digest"] = m.Digest.ToString(),
                ["size"] = m.Size,
                ["platform"] = new JsonObject { ["os"] = os, ["architecture"] = architecture },
            };
            if (os == "unknown")
            {
                entry["annotations"] = new JsonObject { ["vnd.docker.reference.type"] = "attestation-manifest" };
            }

            manifests.Add(entry);
        }

        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciIndex, ["manifests"] = manifests };
        return await PutManifestAsync(repository, tag, Encoding.UTF8.GetBytes(index.ToJsonString()), OciIndex, cancellationToken);
    }

    public async Task<Digest> PushBlobAsync(string repository, byte[] blob, CancellationToken cancellationToken = default)
    {
        Digest digest = Digest.Compute(blob);
        using HttpResponseMessage start = await _http.PostAsync(new Uri($"http://{registry}/v2/{repository}/blobs/uploads/"), null, cancellationToken);
        start.EnsureSuccessStatusCode();
        Uri location = new(new Uri($"http://{registry}"), start.Headers.Location!);
        string separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage put = await _http.PutAsync(new Uri($"{location}{separator}digest={Uri.EscapeDataString(digest.ToString())}"), content, cancellationToken);
        put.EnsureSuccessStatusCode();
        return digest;
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    public static byte[] Compress(byte[] tar, Compression compression)
    {
        switch (compression)
        {
            case Compression.Gzip:
                using (var output = new MemoryStream())
                {
                    using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        gzip.Write(tar);
                    }

                    return output.ToArray();
                }

            case Compression.Zstd:
                using (var compressor = new Compressor())
                {
                    return compressor.Wrap(tar).ToArray();
                }

            default:
                return tar;
        }
    }

    private static string MediaType(Compression compression) => compression switch
    {
        Compression.Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
        Compression.Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        _ => "application/vnd.oci.image.layer.v1.tar",
    };

    private async Task<Descriptor> PutManifestAsync(string repository, string tag, byte[] bytes, string mediaType, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using HttpResponseMessage put = await _http.PutAsync(new Uri($"http://{registry}/v2/{repository}/manifests/{tag}"), content, cancellationToken);
        put.EnsureSuccessStatusCode();
        return new Descriptor(mediaType, Digest.Compute(bytes), bytes.Length);
    }
}
