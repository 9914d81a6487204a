namespace Berth.Images.Layers;

/// <summary>How <see cref="LayerApplier"/> turns a layer's whiteouts (<c>.wh.NAME</c>, <c>.wh..wh..opq</c>) into files.</summary>
public enum WhiteoutMode
{
    /// <summary>
    /// The target is an overlayfs upperdir (or a future lowerdir): a whiteout becomes a 0/0 char device and an opaque
    /// marker the <c>trusted.overlay.opaque=y</c> xattr, for the kernel to hide the lower layers' files.
    /// </summary>
    Overlay,

    /// <summary>
    /// The target holds the whole tree so far (a native snapshot, or an extraction): a whiteout deletes the path it
    /// names and an opaque marker deletes what the directory held before this layer.
    /// </summary>
    Native,
}
