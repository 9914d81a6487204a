namespace Berth.Runtime.Spec;

/// <summary>features-linux.md: what the Linux parts of config.json this runtime understands.</summary>
internal sealed class LinuxFeatures
{
    public IReadOnlyList<string>? Namespaces { get; init; }

    public IReadOnlyList<string>? Capabilities { get; init; }

    public CgroupFeatures? Cgroup { get; init; }

    public SeccompFeatures? Seccomp { get; init; }

    public EnabledFeature? Apparmor { get; init; }

    public EnabledFeature? Selinux { get; init; }

    public EnabledFeature? IntelRdt { get; init; }

    public MountExtensionsFeatures? MountExtensions { get; init; }
}
