namespace Berth.Runtime.Spec;

public sealed class SpecRlimit
{
    public string Type { get; set; } = "";

    public ulong Hard { get; set; }

    public ulong Soft { get; set; }
}
