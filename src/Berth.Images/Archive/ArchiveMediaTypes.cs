namespace Berth.Images.Archive;

/// <summary>Media types berth writes into archives, and the compression a layer file's first bytes show.</summary>
internal static class ArchiveMediaTypes
{
    public const string OciLayout = "oci-layout";
    public const string ImageNameAnnotation = "io.containerd.image.name";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>The layer media type for a file starting with <paramref name="head"/>: gzip, zstd or a plain tar.</summary>
    public static string LayerFor(ReadOnlySpan<byte> head) => head switch
    {
        [0x1f, 0x8b, ..] => Pull.LayerMediaTypes.OciGzip,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Pull.LayerMediaTypes.OciZstd,
        _ => Pull.LayerMediaTypes.OciTar,
    };
}
