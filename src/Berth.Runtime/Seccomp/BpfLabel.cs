namespace Berth.Runtime.Seccomp;

/// <summary>A jump target in a <see cref="BpfAssembler"/> program: bound to the next instruction emitted after
/// <see cref="BpfAssembler.Bind"/>.</summary>
internal sealed class BpfLabel
{
    internal BpfInstruction? Target { get; set; }
}
