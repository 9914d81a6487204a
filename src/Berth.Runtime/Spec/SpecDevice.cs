namespace Berth.Runtime.Spec;

public sealed class SpecDevice
{
    /// <summary>c, b, u or p.</summary>
    public string Type { get; set; } = "";

    public string Path { get; set; } = "";

    public long Major { get; set; }

    public long Minor { get; set; }

    public uint? FileMode { get; set; }

    public uint? Uid { get; set; }

    public uint? Gid { get; set; }
}
