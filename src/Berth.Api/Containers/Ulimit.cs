namespace Berth.Api.Containers;

/// <summary>A resource limit by its short name ("nofile", "nproc").</summary>
public sealed record Ulimit
{
    public string Name { get; init; } = "";

    public long Soft { get; init; }

    public long Hard { get; init; }
}
