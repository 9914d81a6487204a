namespace Berth.Runtime.Spec;

public sealed class SpecConsoleSize
{
    public uint Height { get; set; }

    public uint Width { get; set; }
}
