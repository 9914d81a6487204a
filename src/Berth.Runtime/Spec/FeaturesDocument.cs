namespace Berth.Runtime.Spec;

/// <summary>The runtime-spec features document (features.md) that `berth-runtime features` prints.</summary>
internal sealed class FeaturesDocument
{
    public required string OciVersionMin { get; init; }

    public required string OciVersionMax { get; init; }

    public IReadOnlyList<string>? Hooks { get; init; }

    public IReadOnlyList<string>? MountOptions { get; init; }

    public LinuxFeatures? Linux { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
