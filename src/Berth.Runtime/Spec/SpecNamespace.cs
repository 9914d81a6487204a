namespace Berth.Runtime.Spec;

public sealed class SpecNamespace
{
    public string Type { get; set; } = "";

    public string? Path { get; set; }
}
