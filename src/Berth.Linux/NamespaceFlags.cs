namespace Berth.Linux;

/// <summary>CLONE_NEW* flags, as clone(2), unshare(2) and setns(2) take them.</summary>
[Flags]
public enum NamespaceFlags
{
    None = 0,
    Time = 0x80,
    Mount = 0x20000,
    Cgroup = 0x02000000,
    Uts = 0x04000000,
    Ipc = 0x08000000,
    User = 0x10000000,
    Pid = 0x20000000,
    Network = 0x40000000,
}
