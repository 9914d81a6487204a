namespace Berth.Runtime.Spec;

public sealed class SpecDeviceRule
{
    public bool Allow { get; set; }

    public string? Type { get; set; }

    public long? Major { get; set; }

    public long? Minor { get; set; }

    public string? Access { get; set; }
}
