namespace Berth.Runtime.Spec;

internal sealed class MountExtensionsFeatures
{
    public EnabledFeature? Idmap { get; init; }
}
