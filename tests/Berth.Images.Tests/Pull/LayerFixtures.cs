using Berth.Images.Tests.Layers;

namespace Berth.Images.Tests.Pull;

/// <summary>Layer tars for pull tests: a base, a change with a deletion (whiteout), and big incompressible files.</summary>
internal static class LayerFixtures
{
    public static byte[] Base() => new LayerTar()
        .Directory("bin").File("bin/tool", "#!/bin/sh\necho base\n", (UnixFileMode)0x1ed)
        .Directory("etc").File("etc/os-release", "ID=berth\n").File("etc/doomed", "bye\n")
        .Build();

    public static byte[] Change() => new LayerTar()
        .Directory("etc").File("etc/.wh.doomed", "").File("etc/hostname", "layer2\n")
        .Build();

    public static byte[] Top() => new LayerTar()
        .Directory("srv").File("srv/data", "top layer\n").Symlink("srv/link", "data")
        .Build();

    /// <summary>A layer of one file of <paramref name="bytes"/> random bytes (so it does not compress).</summary>
    public static byte[] Random(string name, int bytes, int seed)
    {
        byte[] data = new byte[bytes];
        new System.Random(seed).NextBytes(data);
        return new LayerTar()
            .Add(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name)
            {
                Mode = (UnixFileMode)0x1a4,
                DataStream = new MemoryStream(data),
            })
            .Build();
    }
}
