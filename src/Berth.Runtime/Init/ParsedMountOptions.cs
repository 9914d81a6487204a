using Berth.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// A spec mount's options split the way mount(2) wants them.
/// <para><see cref="Flags"/> is the flags argument of the mount call itself; for bind/rbind it already contains
/// <see cref="MountFlags.Bind"/> (and <see cref="MountFlags.Recursive"/>), mirrored in <see cref="Bind"/> and
/// <see cref="Recursive"/> for readability. Note the kernel ignores ro/nosuid/… on a new bind mount, so a caller
/// applies them with a second Bind|Remount call, as runc does.</para>
/// <para><see cref="Propagation"/> needs a separate mount call (the kernel rejects it mixed with other flags); it is
/// one of Private/Slave/Shared/Unbindable, plus Recursive for the r* forms, or None.</para>
/// <para><see cref="Data"/> is the filesystem-specific string (size=…,mode=…), or null when there is none.</para>
/// </summary>
public sealed record ParsedMountOptions(MountFlags Flags, MountFlags Propagation, string? Data, bool Bind, bool Recursive)
{
    /// <summary>Attributes to set on the whole tree (rro, rnosuid, …): mount_setattr(2) with AT_RECURSIVE.</summary>
    public MountFlags RecursiveSet { get; init; }

    /// <summary>Attributes to clear on the whole tree (rrw, rsuid, …): mount_setattr(2) with AT_RECURSIVE.</summary>
    public MountFlags RecursiveClear { get; init; }
}
