namespace Berth.Runtime.Seccomp;

/// <summary>
/// One system-call ABI a filter section covers: which AUDIT_ARCH value the kernel reports in seccomp_data.arch,
/// which number table resolves names, and whether arguments are compared as 64-bit or as 32-bit values.
/// x86_64 and x32 share AUDIT_ARCH_X86_64 and are told apart by bit 30 of the syscall number.
/// </summary>
internal sealed class SeccompAbi
{
    public const uint AuditArchX86_64 = 0xC000003E;   // EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE

    public const uint AuditArchI386 = 0x40000003;     // EM_386 | __AUDIT_ARCH_LE

    public const uint AuditArchAarch64 = 0xC00000B7;  // EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE

    /// <summary>__X32_SYSCALL_BIT: x32 syscalls carry it in their number.</summary>
    public const uint X32SyscallBit = 0x40000000;

    public static readonly SeccompAbi X86_64 = new("SCMP_ARCH_X86_64", AuditArchX86_64, SyscallTable.X86_64, numberBias: 0, wideArgs: true);

    public static readonly SeccompAbi X32 = new("SCMP_ARCH_X32", AuditArchX86_64, SyscallTable.X32, X32SyscallBit, wideArgs: true);

    public static readonly SeccompAbi I386 = new("SCMP_ARCH_X86", AuditArchI386, SyscallTable.I386, numberBias: 0, wideArgs: false);

    public static readonly SeccompAbi Aarch64 = new("SCMP_ARCH_AARCH64", AuditArchAarch64, SyscallTable.Aarch64, numberBias: 0, wideArgs: true);

    private readonly IReadOnlyDictionary<string, uint> _numbers;

    private SeccompAbi(string name, uint auditArch, IReadOnlyDictionary<string, uint> numbers, uint numberBias, bool wideArgs)
    {
        Name = name;
        AuditArch = auditArch;
        _numbers = numbers;
        NumberBias = numberBias;
        WideArgs = wideArgs;
    }

    /// <summary>The SCMP_ARCH_* name.</summary>
    public string Name { get; }

    public uint AuditArch { get; }

    /// <summary>Added to table numbers to get what seccomp_data.nr holds (the x32 bit).</summary>
    public uint NumberBias { get; }

    /// <summary>
    /// True when the ABI passes 64-bit arguments. For 32-bit ABIs (i386) only the low word of seccomp_data.args
    /// is meaningful and rule values are truncated to 32 bits, as libseccomp does for 32-bit architectures.
    /// </summary>
    public bool WideArgs { get; }

    /// <summary>The value seccomp_data.nr has for <paramref name="syscall"/> under this ABI.</summary>
    public bool TryGetNumber(string syscall, out uint number)
    {
        if (_numbers.TryGetValue(syscall, out uint n))
        {
            number = n + NumberBias;
            return true;
        }

        number = 0;
        return false;
    }

    public override string ToString() => Name;
}
