using Berth.Core.Errors;
using Berth.Core.Mounts;

namespace Berth.Images.Layers;

/// <summary>
/// Where to apply a layer into a snapshot prepared by a snapshotter, read from the mounts it returned, so a layer can be
/// applied without mounting anything: an overlay mount → its <c>upperdir</c> with overlay whiteouts; a single bind
/// mount (a native snapshot, or an overlay snapshot without parent) → its source with whiteouts applied as deletions
/// (nothing lies below a base layer, so there is nothing for an overlay whiteout to hide).
/// </summary>
public sealed record SnapshotApplyTarget(string Directory, WhiteoutMode Mode)
{
    /// <summary>
    /// The overlay's lowerdirs, newest first. A directory the applier must create in the upperdir only because the
    /// layer names something inside it (no entry of its own) takes its owner, mode, mtime and xattrs from the first of
    /// these that has it, as the merged view would have shown it; otherwise the upper copy would mask them (0755 root).
    /// </summary>
    public IReadOnlyList<string> LowerDirectories { get; init; } = [];

    /// <summary>
    /// The lowers are not known yet (a layer unpacked before its parent is committed, on a snapshot rebased later): the
    /// directories that would inherit from them are listed in <see cref="LayerApplyResult.PendingDirectories"/> instead.
    /// </summary>
    public bool LowerPending { get; init; }

    public static SnapshotApplyTarget From(IReadOnlyList<Mount> mounts)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        if (mounts.Count != 1)
        {
            throw Errors.InvalidArgument($"cannot apply a layer to {mounts.Count} mounts; expected one overlay or bind mount");
        }

        Mount mount = mounts[0];
        if (mount.Options.Contains("ro"))
        {
            throw Errors.InvalidArgument($"cannot apply a layer to a read-only {mount.Type} mount of {mount.Source}");
        }

        switch (mount.Type)
        {
            case "overlay":
                string? upper = mount.Options.FirstOrDefault(o => o.StartsWith("upperdir=", StringComparison.Ordinal));
                string? lower = mount.Options.FirstOrDefault(o => o.StartsWith("lowerdir=", StringComparison.Ordinal));
                return upper is null
                    ? throw Errors.InvalidArgument("cannot apply a layer to an overlay mount without upperdir (a view)")
                    : new SnapshotApplyTarget(upper["upperdir=".Length..], WhiteoutMode.Overlay)
                    {
                        LowerDirectories = lower is null ? [] : lower["lowerdir=".Length..].Split(':', StringSplitOptions.RemoveEmptyEntries),
                    };
            case "bind":
                return new SnapshotApplyTarget(mount.Source, WhiteoutMode.Native);
            default:
                throw Errors.InvalidArgument($"cannot apply a layer to a {mount.Type} mount");
        }
    }
}
