namespace Berth.Runtime.Spec;

/// <summary>features-linux.md seccomp: what SeccompCompiler understands.</summary>
internal sealed class SeccompFeatures
{
    public bool? Enabled { get; init; }

    public IReadOnlyList<string>? Actions { get; init; }

    public IReadOnlyList<string>? Operators { get; init; }

    public IReadOnlyList<string>? Archs { get; init; }

    public IReadOnlyList<string>? KnownFlags { get; init; }

    public IReadOnlyList<string>? SupportedFlags { get; init; }
}
