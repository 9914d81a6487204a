using Berth.Runtime.Spec;

namespace Berth.Runtime.Lifecycle;

/// <summary>What <c>exec</c> starts in a running container and how the caller stays attached.</summary>
public sealed record ExecOptions
{
    public required SpecProcess Process { get; init; }

    public bool Detach { get; init; }

    public string? PidFile { get; init; }

    public string? ConsoleSocket { get; init; }
}
