using System.Runtime.InteropServices;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux.Spawn;

/// <summary>The syscalls an exec'd process needs before exec, as <see cref="SpawnOp"/>s (x86-64 numbers).</summary>
public static class SpawnOps
{
    private const long SYS_dup2 = 33, SYS_chdir = 80, SYS_umask = 95, SYS_setsid = 112, SYS_prctl = 157,
        SYS_ioctl = 16, SYS_prlimit64 = 302;
    private const long TIOCSCTTY = 0x540E;

    public static SpawnOp ChangeDirectory(string path) =>
        new($"chdir {path}", SYS_chdir, [SpawnArg.Buffer(LinuxSyscalls.Utf8Z(path))]);

    public static SpawnOp SetResourceLimit(ResourceLimit limit) =>
        new($"setrlimit {limit.Resource}", SYS_prlimit64, [0, limit.Resource, SpawnArg.Buffer(Bytes([limit.Soft, limit.Hard])), 0]);

    public static SpawnOp DropBoundingCapability(int cap) =>
        new($"drop bounding capability {cap}", SYS_prctl, [PR_CAPBSET_DROP, cap], IgnoreFailure: true);

    public static SpawnOp KeepCaps(bool keep) => new("prctl PR_SET_KEEPCAPS", SYS_prctl, [PR_SET_KEEPCAPS, keep ? 1 : 0]);

    public static SpawnOp SetGroups(IReadOnlyList<int> groups) =>
        new("setgroups", SYS_setgroups, [groups.Count, SpawnArg.Buffer(MemoryMarshal.AsBytes(groups.ToArray().AsSpan()).ToArray())]);

    public static SpawnOp SetResGid(int gid) => new($"setresgid {gid}", SYS_setresgid, [gid, gid, gid]);

    public static SpawnOp SetResUid(int uid) => new($"setresuid {uid}", SYS_setresuid, [uid, uid, uid]);

    public static SpawnOp SetCapabilities(ulong effective, ulong permitted, ulong inheritable)
    {
        byte[] header = MemoryMarshal.AsBytes(new uint[] { 0x20080522, 0 }.AsSpan()).ToArray();
        byte[] data = MemoryMarshal.AsBytes(new uint[]
        {
            (uint)effective, (uint)permitted, (uint)inheritable,
            (uint)(effective >> 32), (uint)(permitted >> 32), (uint)(inheritable >> 32),
        }.AsSpan()).ToArray();
        return new("capset", SYS_capset, [SpawnArg.Buffer(header), SpawnArg.Buffer(data)]);
    }

    public static SpawnOp ClearAmbient() => new("clear ambient capabilities", SYS_prctl, [PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0]);

    /// <summary>Ignored on failure, like runc: the kernel refuses caps not both permitted and inheritable.</summary>
    public static SpawnOp RaiseAmbient(int cap) =>
        new($"raise ambient capability {cap}", SYS_prctl, [PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0], IgnoreFailure: true);

    public static SpawnOp NoNewPrivileges() => new("prctl PR_SET_NO_NEW_PRIVS", SYS_prctl, [PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0]);

    public static SpawnOp Seccomp(byte[] program, uint flags) =>
        new("seccomp", SYS_seccomp, [1 /* SECCOMP_SET_MODE_FILTER */, flags, SpawnArg.SockFprog(program)]);

    public static SpawnOp Umask(int mask) => new("umask", SYS_umask, [mask]);

    public static SpawnOp NewSession() => new("setsid", SYS_setsid, []);

    public static SpawnOp SetControllingTerminal(int fd) => new("ioctl TIOCSCTTY", SYS_ioctl, [fd, TIOCSCTTY, 0]);

    public static SpawnOp Dup2(int fd, int target) => new($"dup2 {fd} {target}", SYS_dup2, [fd, target]);

    /// <summary>Makes the op's syscall on the calling thread (the container init runs the same ops this way).</summary>
    public static unsafe void Run(SpawnOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        using var memory = new NativeArena();
        RawSpawnOp raw = RawSpawnOp.From(op, memory);
        if (syscall(raw.Number, raw.A1, raw.A2, raw.A3, raw.A4, raw.A5, raw.A6) < 0 && !op.IgnoreFailure)
        {
            throw new LinuxException(ErrnoText.Last, op.Description);
        }
    }

    private static byte[] Bytes(ulong[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
