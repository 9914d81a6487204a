using System.Buffers.Binary;

namespace Berth.Runtime.Tests.Seccomp;

/// <summary>struct seccomp_data as the kernel hands it to a filter.</summary>
internal sealed record SeccompData(uint Nr, uint Arch, params ulong[] Args)
{
    public const uint X86_64 = 0xC000003E, I386 = 0x40000003, Aarch64 = 0xC00000B7;

    public static SeccompData X64(uint nr, params ulong[] args) => new(nr, X86_64, args);

    public static SeccompData X32(uint nr, params ulong[] args) => new(0x40000000 | nr, X86_64, args);

    public static SeccompData X86(uint nr, params ulong[] args) => new(nr, I386, args);

    public byte[] ToBytes()
    {
        byte[] data = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(data, Nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), Arch);
        for (int i = 0; i < Args.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + (8 * i)), Args[i]);
        }

        return data;
    }
}

/// <summary>
/// A classic-BPF interpreter for the subset seccomp filters use, with the kernel's load-time checks
/// (bpf_check_classic + seccomp_check_filter): length 1..4096, known opcodes only, aligned loads inside
/// seccomp_data, forward jumps that land inside the program, a return as the last instruction.
/// </summary>
internal static class BpfInterpreter
{
    public const uint RetKillProcess = 0x80000000, RetKillThread = 0, RetTrap = 0x00030000, RetErrno = 0x00050000,
        RetTrace = 0x7FF00000, RetLog = 0x7FFC0000, RetAllow = 0x7FFF0000;

    public static uint Errno(uint errno) => RetErrno | errno;

    public static int Length(byte[] program) => program.Length / 8;

    public static void Validate(byte[] program)
    {
        Assert.True(program.Length % 8 == 0, "program is not a whole number of sock_filter");
        int n = program.Length / 8;
        Assert.InRange(n, 1, 4096);
        for (int pc = 0; pc < n; pc++)
        {
            (ushort code, byte jt, byte jf, uint k) = Decode(program, pc);
            switch (code)
            {
                case 0x20:   // ld [k]
                    Assert.True(k % 4 == 0 && k < 64, $"pc {pc}: load offset {k}");
                    break;
                case 0x54:   // and #k
                case 0x06:   // ret #k
                    break;
                case 0x05:   // ja
                    Assert.True((long)pc + 1 + k < n, $"pc {pc}: ja {k} leaves the program");
                    break;
                case 0x15 or 0x25 or 0x35 or 0x45:
                    Assert.True(pc + 1 + jt < n && pc + 1 + jf < n, $"pc {pc}: jump leaves the program");
                    break;
                default:
                    Assert.Fail($"pc {pc}: opcode 0x{code:x} is not allowed in a seccomp filter");
                    break;
            }
        }

        Assert.Equal(0x06, Decode(program, n - 1).Code);
    }

    /// <summary>Runs the filter and returns its SECCOMP_RET_* value.</summary>
    public static uint Run(byte[] program, SeccompData input)
    {
        Validate(program);
        byte[] data = input.ToBytes();
        uint a = 0;
        int pc = 0;
        for (int steps = 0; steps < 100_000; steps++)
        {
            (ushort code, byte jt, byte jf, uint k) = Decode(program, pc);
            pc++;
            switch (code)
            {
                case 0x20: a = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)k)); break;
                case 0x54: a &= k; break;
                case 0x06: return k;
                case 0x05: pc += (int)k; break;
                case 0x15: pc += a == k ? jt : jf; break;
                case 0x25: pc += a > k ? jt : jf; break;
                case 0x35: pc += a >= k ? jt : jf; break;
                case 0x45: pc += (a & k) != 0 ? jt : jf; break;
                default: throw new InvalidOperationException($"opcode 0x{code:x}");
            }
        }

        throw new InvalidOperationException("filter did not return");
    }

    /// <summary>The longest conditional-jump offset, to show long programs needed no offset above 255.</summary>
    public static IEnumerable<(ushort Code, byte Jt, byte Jf, uint K)> Instructions(byte[] program)
    {
        for (int pc = 0; pc < program.Length / 8; pc++)
        {
            yield return Decode(program, pc);
        }
    }

    private static (ushort Code, byte Jt, byte Jf, uint K) Decode(byte[] program, int pc)
    {
        ReadOnlySpan<byte> slot = program.AsSpan(pc * 8, 8);
        return (BinaryPrimitives.ReadUInt16LittleEndian(slot), slot[2], slot[3], BinaryPrimitives.ReadUInt32LittleEndian(slot[4..]));
    }
}
