using System.Formats.Tar;
using System.Text;

namespace Berth.Images.Tests.Layers;

/// <summary>Builds a PAX layer tar in memory, entry by entry.</summary>
internal sealed class LayerTar
{
    public static readonly DateTimeOffset Time = new(2021, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private readonly List<PaxTarEntry> _entries = [];

    public LayerTar Directory(string name, UnixFileMode mode = (UnixFileMode)0x1ed, int uid = 0, int gid = 0) =>
        Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, Uid = uid, Gid = gid });

    public LayerTar File(
        string name, string content, UnixFileMode mode = (UnixFileMode)0x1a4, int uid = 0, int gid = 0,
        IEnumerable<KeyValuePair<string, string>>? pax = null) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, name, pax ?? [])
        {
            Mode = mode,
            Uid = uid,
            Gid = gid,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        });

    public LayerTar Symlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0x1ff });

    public LayerTar Hardlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, Mode = (UnixFileMode)0x1a4 });

    public LayerTar Device(string name, TarEntryType type, int major, int minor) =>
        Add(new PaxTarEntry(type, name) { Mode = (UnixFileMode)0x1b6, DeviceMajor = major, DeviceMinor = minor });

    public LayerTar Add(PaxTarEntry entry)
    {
        if (entry.ModificationTime != Time)
        {
            entry.ModificationTime = Time;
        }

        _entries.Add(entry);
        return this;
    }

    public byte[] Build()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (PaxTarEntry entry in _entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }
}
