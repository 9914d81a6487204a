using System.Runtime.InteropServices;

namespace Berth.Linux.Spawn;

/// <summary>struct clone_args (clone3), up to the cgroup field (CLONE_ARGS_SIZE_VER2).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CloneArgs
{
    public const ulong CLONE_PIDFD = 0x1000, CLONE_INTO_CGROUP = 0x200000000;

    public ulong Flags;
    public ulong PidFd;
    public ulong ChildTid;
    public ulong ParentTid;
    public ulong ExitSignal;
    public ulong Stack;
    public ulong StackSize;
    public ulong Tls;
    public ulong SetTid;
    public ulong SetTidSize;
    public ulong Cgroup;
}
