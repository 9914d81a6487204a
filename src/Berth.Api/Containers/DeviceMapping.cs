namespace Berth.Api.Containers;

/// <summary>A host device made available in the container.</summary>
public sealed record DeviceMapping
{
    public string PathOnHost { get; init; } = "";

    public string PathInContainer { get; init; } = "";

    public string CgroupPermissions { get; init; } = "";
}
