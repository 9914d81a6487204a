namespace Berth.Api.Engine;

/// <summary>Bytes used by a volume and how many containers refer to it.</summary>
public sealed record VolumeUsageData
{
    public long Size { get; init; } = -1;

    public long RefCount { get; init; } = -1;
}
