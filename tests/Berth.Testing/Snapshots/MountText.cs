using Berth.Core.Mounts;

namespace Berth.Testing.Snapshots;

/// <summary>A mount as one comparable line (<see cref="Mount"/> is a record over a list, so it compares by reference).</summary>
public static class MountText
{
    public static string Of(Mount mount)
    {
        ArgumentNullException.ThrowIfNull(mount);
        return $"{mount.Type} {mount.Source} {string.Join(',', mount.Options)}";
    }

    public static string Of(IEnumerable<Mount> mounts) => string.Join('\n', mounts.Select(Of));
}
