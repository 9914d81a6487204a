using System.Runtime.InteropServices;

namespace Berth.Linux.Spawn;

/// <summary>One op as the stub reads it: number, six arguments, flags (bit 0: ignore failure); 64 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RawSpawnOp
{
    public long Number;
    public long A1;
    public long A2;
    public long A3;
    public long A4;
    public long A5;
    public long A6;
    public long Flags;

    /// <summary>Lays an op out for the stub (or an in-process call), copying buffer arguments into <paramref name="memory"/>.</summary>
    public static unsafe RawSpawnOp From(SpawnOp op, NativeArena memory)
    {
        Span<long> args = stackalloc long[6];
        for (int i = 0; i < op.Args.Count && i < 6; i++)
        {
            SpawnArg arg = op.Args[i];
            if (arg.Bytes is null)
            {
                args[i] = arg.Value;
                continue;
            }

            byte* copy = (byte*)memory.Allocate(Math.Max(arg.Bytes.Length, 1));
            arg.Bytes.CopyTo(new Span<byte>(copy, arg.Bytes.Length));
            if (arg.IsSockFprog)
            {
                ulong* fprog = (ulong*)memory.Allocate(16);
                fprog[0] = (ulong)(arg.Bytes.Length / 8);
                fprog[1] = (ulong)copy;
                copy = (byte*)fprog;
            }

            args[i] = (long)copy;
        }

        return new RawSpawnOp
        {
            Number = op.Number, A1 = args[0], A2 = args[1], A3 = args[2], A4 = args[3], A5 = args[4], A6 = args[5],
            Flags = op.IgnoreFailure ? 1 : 0,
        };
    }
}
