namespace Berth.Runtime.Spec;

/// <summary>The linux object of config.json; properties follow runtime-spec's Go struct order so our JSON reads like runc's.</summary>
public sealed class SpecLinux
{
    public List<SpecIdMapping>? UidMappings { get; set; }

    public List<SpecIdMapping>? GidMappings { get; set; }

    public Dictionary<string, string>? Sysctl { get; set; }

    public SpecResources? Resources { get; set; }

    public string? CgroupsPath { get; set; }

    public List<SpecNamespace>? Namespaces { get; set; }

    public List<SpecDevice>? Devices { get; set; }

    public SpecSeccomp? Seccomp { get; set; }

    public string? RootfsPropagation { get; set; }

    public List<string>? MaskedPaths { get; set; }

    public List<string>? ReadonlyPaths { get; set; }

    public string? MountLabel { get; set; }
}
