using System.Buffers.Binary;
using System.Diagnostics;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Builds a classic-BPF program with symbolic, forward-only jump targets and lays it out into the kernel's
/// struct sock_filter array. A conditional jump's offsets are one byte, so layout relaxes: a branch whose target is
/// more than 255 instructions ahead is redirected to a BPF_JA trampoline (32-bit offset) inserted right after the
/// jump, and layout repeats until every branch fits. Code generators can therefore jump anywhere forward without
/// caring about distance.
/// </summary>
internal sealed class BpfAssembler
{
    private readonly List<BpfInstruction> _code = [];
    private readonly List<BpfLabel> _pending = [];

    public int Count => _code.Count;

    /// <summary>Binds <paramref name="label"/> to the next instruction emitted.</summary>
    public void Bind(BpfLabel label)
    {
        Debug.Assert(label.Target is null, "label bound twice");
        _pending.Add(label);
    }

    public void LoadWord(uint offset) => Emit(new BpfInstruction(Bpf.Ld | Bpf.W | Bpf.Abs, offset));

    public void AndConstant(uint mask) => Emit(new BpfInstruction(Bpf.Alu | Bpf.And | Bpf.K, mask));

    public void Return(uint value) => Emit(new BpfInstruction(Bpf.Ret | Bpf.K, value));

    public void Jump(BpfLabel target) => Emit(new BpfInstruction(Bpf.Jmp | Bpf.Ja, 0) { True = target });

    /// <summary>A conditional jump; a null branch means "the next instruction".</summary>
    public void JumpIf(ushort operation, uint k, BpfLabel? whenTrue, BpfLabel? whenFalse)
    {
        var next = new BpfLabel();
        var instruction = new BpfInstruction((ushort)(Bpf.Jmp | operation | Bpf.K), k)
        {
            True = whenTrue ?? next,
            False = whenFalse ?? next,
        };
        Emit(instruction);
        if (whenTrue is null || whenFalse is null)
        {
            Bind(next);
        }
    }

    /// <summary>Lays the program out and serializes it: 8 bytes per instruction, little-endian
    /// (u16 code, u8 jt, u8 jf, u32 k).</summary>
    public byte[] Assemble()
    {
        Debug.Assert(_pending.Count == 0, "label bound past the last instruction");
        Relax();
        if (_code.Count > Bpf.MaxInstructions)
        {
            throw Core.Errors.Errors.InvalidArgument(
                $"seccomp: the filter needs {_code.Count} BPF instructions; the kernel allows {Bpf.MaxInstructions}");
        }

        byte[] program = new byte[_code.Count * 8];
        for (int i = 0; i < _code.Count; i++)
        {
            BpfInstruction instruction = _code[i];
            Span<byte> slot = program.AsSpan(i * 8, 8);
            uint k = instruction.K;
            byte jt = 0, jf = 0;
            if (instruction.IsConditionalJump)
            {
                jt = checked((byte)Offset(i, instruction.True!));
                jf = checked((byte)Offset(i, instruction.False!));
            }
            else if (instruction.True is { } target)
            {
                k = (uint)Offset(i, target);
            }

            BinaryPrimitives.WriteUInt16LittleEndian(slot, instruction.Code);
            slot[2] = jt;
            slot[3] = jf;
            BinaryPrimitives.WriteUInt32LittleEndian(slot[4..], k);
        }

        return program;
    }

    private void Emit(BpfInstruction instruction)
    {
        foreach (BpfLabel label in _pending)
        {
            label.Target = instruction;
        }

        _pending.Clear();
        _code.Add(instruction);
    }

    private void Relax()
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int i = 0; i < _code.Count; i++)
            {
                _code[i].Index = i;
            }

            for (int i = 0; i < _code.Count && !changed; i++)
            {
                BpfInstruction jump = _code[i];
                if (!jump.IsConditionalJump)
                {
                    continue;
                }

                if (Offset(i, jump.True!) > Bpf.MaxShortJump)
                {
                    jump.True = Trampoline(i, jump.True!);
                    changed = true;
                }
                else if (Offset(i, jump.False!) > Bpf.MaxShortJump)
                {
                    jump.False = Trampoline(i, jump.False!);
                    changed = true;
                }
            }
        }
    }

    /// <summary>Inserts "ja target" right after instruction <paramref name="at"/> and returns a label for it.</summary>
    private BpfLabel Trampoline(int at, BpfLabel target)
    {
        var trampoline = new BpfInstruction(Bpf.Jmp | Bpf.Ja, 0) { True = target };
        _code.Insert(at + 1, trampoline);
        return new BpfLabel { Target = trampoline };
    }

    private static int Offset(int from, BpfLabel label)
    {
        int offset = label.Target!.Index - from - 1;
        Debug.Assert(offset >= 0, "BPF jumps go forward only");
        return offset;
    }
}
