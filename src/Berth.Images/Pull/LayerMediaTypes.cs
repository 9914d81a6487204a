using Berth.Core.Errors;
using ZstdSharp;

namespace Berth.Images.Pull;

/// <summary>Layer media types (OCI and Docker) and the decompressor each one needs.</summary>
internal static class LayerMediaTypes
{
    public const string OciTar = "application/vnd.oci.image.layer.v1.tar";
    public const string OciGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string OciNondistributableTar = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public const string OciNondistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public const string OciNondistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
    public const string DockerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerForeignGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public const string DockerTar = "application/vnd.docker.image.rootfs.diff.tar";

    /// <summary>The uncompressed tar inside <paramref name="compressed"/>; disposing it disposes the source.</summary>
    public static Stream Decompress(Stream compressed, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        return mediaType switch
        {
            OciGzip or OciNondistributableGzip or DockerGzip or DockerForeignGzip =>
                new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress),
            OciZstd or OciNondistributableZstd => new DecompressionStream(compressed),
            OciTar or OciNondistributableTar or DockerTar => compressed,
            _ => throw Errors.InvalidArgument($"unsupported layer media type \"{mediaType}\""),
        };
    }
}
