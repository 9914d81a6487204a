namespace Berth.Runtime.Spec;

/// <summary>The <c>{"enabled": bool}</c> shape features-linux.md uses for apparmor, selinux, intelRdt and idmap.</summary>
internal sealed class EnabledFeature
{
    public bool? Enabled { get; init; }
}
