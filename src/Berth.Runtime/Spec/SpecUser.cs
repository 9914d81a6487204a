namespace Berth.Runtime.Spec;

public sealed class SpecUser
{
    public uint Uid { get; set; }

    public uint Gid { get; set; }

    public uint? Umask { get; set; }

    public List<uint>? AdditionalGids { get; set; }

    public string? Username { get; set; }
}
