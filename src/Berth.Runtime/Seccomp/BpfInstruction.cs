namespace Berth.Runtime.Seccomp;

/// <summary>One classic-BPF instruction before layout; jumps name their targets by label, not by offset.</summary>
internal sealed class BpfInstruction(ushort code, uint k)
{
    public ushort Code { get; } = code;

    public uint K { get; set; } = k;

    /// <summary>Taken branch of a conditional jump, or the target of BPF_JA.</summary>
    public BpfLabel? True { get; set; }

    /// <summary>Not-taken branch of a conditional jump.</summary>
    public BpfLabel? False { get; set; }

    /// <summary>Index in the laid-out program; recomputed on each layout pass.</summary>
    public int Index { get; set; }

    public bool IsConditionalJump => (Code & 0x07) == Bpf.Jmp && (Code & 0xF0) != Bpf.Ja;
}
