namespace Berth.Runtime.Spec;

public sealed class SpecSyscallArg
{
    public uint Index { get; set; }

    public ulong Value { get; set; }

    public ulong ValueTwo { get; set; }

    public string Op { get; set; } = "";
}
