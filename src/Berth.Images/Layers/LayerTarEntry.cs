namespace Berth.Images.Layers;

/// <summary>
/// One tar entry with its extended headers folded in. Unlike System.Formats.Tar, xattr values
/// (<c>SCHILY.xattr.*</c>) are kept as the raw bytes of the pax record: <c>security.capability</c> is binary.
/// </summary>
internal sealed class LayerTarEntry
{
    public required string Name { get; init; }

    public required byte Type { get; init; }

    public string LinkName { get; init; } = "";

    /// <summary>Permission bits including setuid, setgid and sticky (07777).</summary>
    public int Mode { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    public long Size { get; init; }

    public DateTimeOffset ModificationTime { get; init; }

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    public IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs { get; init; } = [];

    /// <summary>The entry's data, <see cref="Size"/> bytes, readable once and only until the next entry is read.</summary>
    public Stream DataStream { get; init; } = Stream.Null;
}
