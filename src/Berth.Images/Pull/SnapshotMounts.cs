using Berth.Core.Errors;
using Berth.Core.Mounts;

namespace Berth.Images.Pull;

/// <summary>
/// Where a layer is unpacked in an active snapshot, read from its mounts (no mounting needed): an overlay's
/// <c>upperdir</c>, or the source of a single bind mount (an overlay snapshot without parents, or a native one).
/// </summary>
internal static class SnapshotMounts
{
    private const string UpperDirOption = "upperdir=";

    public static string LayerDirectory(IReadOnlyList<Mount> mounts)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        if (mounts.Count == 1)
        {
            Mount mount = mounts[0];
            if (mount.Type == "overlay" && mount.Options.FirstOrDefault(o => o.StartsWith(UpperDirOption, StringComparison.Ordinal)) is { } upper)
            {
                return upper[UpperDirOption.Length..];
            }

            if (mount.Type == "bind")
            {
                return mount.Source;
            }
        }

        throw Errors.Internal($"cannot unpack a layer into mounts [{string.Join(", ", mounts.Select(m => m.Type + ":" + m.Source))}]");
    }
}
