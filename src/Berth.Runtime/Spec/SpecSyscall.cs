namespace Berth.Runtime.Spec;

public sealed class SpecSyscall
{
    public List<string> Names { get; set; } = [];

    public string Action { get; set; } = "";

    public uint? ErrnoRet { get; set; }

    public List<SpecSyscallArg>? Args { get; set; }
}
