namespace Berth.Linux;

/// <summary>mount(2) flags.</summary>
[Flags]
#pragma warning disable CA1028 // kernel ABI values
public enum MountFlags : ulong
{
    None = 0,
    ReadOnly = 1,
    NoSuid = 2,
    NoDev = 4,
    NoExec = 8,
    Synchronous = 16,
    Remount = 32,
    MandLock = 64,
    DirSync = 128,
    NoSymFollow = 256,
    NoAtime = 1024,
    NoDirAtime = 2048,
    Bind = 4096,
    Move = 8192,
    Recursive = 16384,
    Silent = 32768,
    Unbindable = 1 << 17,
    Private = 1 << 18,
    Slave = 1 << 19,
    Shared = 1 << 20,
    RelAtime = 1 << 21,
    StrictAtime = 1 << 24,
    LazyTime = 1 << 25,

    /// <summary>The flags that change propagation; the kernel wants them in a mount call of their own.</summary>
    PropagationMask = Unbindable | Private | Slave | Shared,
}
#pragma warning restore CA1028
