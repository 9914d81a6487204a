namespace Berth.Api.Containers;

/// <summary>Bind mount options: Propagation is "private", "rprivate", "shared", "rshared", "slave" or "rslave".</summary>
public sealed record BindOptions
{
    public string? Propagation { get; init; }

    public bool? NonRecursive { get; init; }

    public bool? CreateMountpoint { get; init; }

    public bool? ReadOnlyNonRecursive { get; init; }

    public bool? ReadOnlyForceRecursive { get; init; }
}
