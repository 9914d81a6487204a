namespace Berth.Runtime.Spec;

public sealed class SpecPids
{
    public long Limit { get; set; }
}
