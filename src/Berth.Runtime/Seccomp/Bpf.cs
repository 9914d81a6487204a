namespace Berth.Runtime.Seccomp;

/// <summary>Classic BPF opcodes (linux/bpf_common.h) and the seccomp return values (linux/seccomp.h).</summary>
internal static class Bpf
{
    // Instruction classes.
    public const ushort Ld = 0x00, Alu = 0x04, Jmp = 0x05, Ret = 0x06;

    // Sizes, modes, operations and sources.
    public const ushort W = 0x00, Abs = 0x20, And = 0x50, K = 0x00;
    public const ushort Ja = 0x00, Jeq = 0x10, Jgt = 0x20, Jge = 0x30, Jset = 0x40;

    /// <summary>BPF_MAXINSNS: the kernel refuses longer filters.</summary>
    public const int MaxInstructions = 4096;

    /// <summary>Conditional jump offsets are one byte.</summary>
    public const int MaxShortJump = 255;

    // struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; } (host byte order).
    public const uint OffsetNr = 0, OffsetArch = 4, OffsetArgs = 16;

    public const uint RetKillProcess = 0x80000000, RetKillThread = 0x00000000, RetTrap = 0x00030000,
        RetErrno = 0x00050000, RetUserNotif = 0x7FC00000, RetTrace = 0x7FF00000, RetLog = 0x7FFC0000,
        RetAllow = 0x7FFF0000, RetData = 0x0000FFFF;

    public const uint EPERM = 1, ENOSYS = 38;
}
