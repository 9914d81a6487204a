namespace Berth.Runtime.Containers;

/// <summary>A mount the user asked for (-v, --mount, --tmpfs), already parsed: bind or tmpfs.</summary>
/// <param name="Type">"bind" or "tmpfs".</param>
/// <param name="Source">Host path for bind; ignored for tmpfs.</param>
/// <param name="Destination">Absolute path inside the container.</param>
public sealed record ContainerMountOption(string Type, string Source, string Destination)
{
    public bool ReadOnly { get; init; }

    /// <summary>Extra mount options: bind propagation ("rprivate", "rslave"…) or tmpfs ("size=64m", "mode=1777").</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}
