namespace Berth.Api.Containers;

/// <summary>Named volume mount options.</summary>
public sealed record VolumeOptions
{
    public bool? NoCopy { get; init; }

    public IDictionary<string, string>? Labels { get; init; }

    public string? Subpath { get; init; }
}
