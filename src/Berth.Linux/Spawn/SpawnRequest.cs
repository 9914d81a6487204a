using System.Runtime.InteropServices;

namespace Berth.Linux.Spawn;

/// <summary>The request block the stub reads; field offsets are fixed by spawn-x86_64.S.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SpawnRequest
{
    public long Flags;
    public byte* Path;
    public byte** Argv;
    public byte** Envp;
    public long KeepFd;
    public int* ErrOut;
    public int* NamespaceFds;
    public long NamespaceCount;
    public long WaitFd;
    public long SetRoot;
    public void* StackTop;
    public void* Clone3Args;
    public long Clone3Size;
    public ulong FullMask;
    public ulong SavedMask;
    public fixed byte SigDefault[32];
    public long Scratch;
    public RawSpawnOp* Ops;
    public long OpCount;
}
