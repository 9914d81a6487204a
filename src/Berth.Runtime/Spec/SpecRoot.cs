namespace Berth.Runtime.Spec;

public sealed class SpecRoot
{
    public string Path { get; set; } = "";

    public bool Readonly { get; set; }
}
