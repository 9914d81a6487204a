namespace Berth.Linux.Spawn;

/// <summary>A syscall argument: a plain value, or bytes the spawner copies to unmanaged memory and passes by pointer.</summary>
public readonly record struct SpawnArg(long Value, byte[]? Bytes = null, bool IsSockFprog = false)
{
    public static implicit operator SpawnArg(long value) => new(value);

    public static SpawnArg FromInt64(long value) => new(value);

    public static SpawnArg Buffer(byte[] bytes) => new(0, bytes);

    /// <summary>A struct sock_fprog pointing at a copy of the BPF program.</summary>
    public static SpawnArg SockFprog(byte[] program) => new(0, program, IsSockFprog: true);
}
