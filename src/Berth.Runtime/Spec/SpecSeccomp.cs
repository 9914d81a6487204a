namespace Berth.Runtime.Spec;

public sealed class SpecSeccomp
{
    public string DefaultAction { get; set; } = "";

    public uint? DefaultErrnoRet { get; set; }

    public List<string>? Architectures { get; set; }

    public List<string>? Flags { get; set; }

    public List<SpecSyscall>? Syscalls { get; set; }
}
