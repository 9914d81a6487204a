namespace Berth.Runtime.Spec;

/// <summary>config.json of an OCI bundle (runtime-spec 1.2).</summary>
public sealed class RuntimeSpec
{
    public string OciVersion { get; set; } = "1.2.0";

    public SpecProcess? Process { get; set; }

    public SpecRoot? Root { get; set; }

    public string? Hostname { get; set; }

    public string? Domainname { get; set; }

    public List<SpecMount> Mounts { get; set; } = [];

    public SpecHooks? Hooks { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public SpecLinux? Linux { get; set; }
}
