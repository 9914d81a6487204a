using System.Formats.Tar;
using System.Text;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Images.Layers;
using Berth.Linux;
using Berth.Testing;

namespace Berth.Images.Tests.Layers;

public sealed class LayerApplierTests
{
    private static readonly byte[] NetBindServiceCapability =
        [0x01, 0, 0, 0x02, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static async Task<LayerApplyResult> ApplyAsync(byte[] tar, string target, WhiteoutMode mode = WhiteoutMode.Overlay)
    {
        using var stream = new MemoryStream(tar);
        return await new LayerApplier().ApplyAsync(stream, target, mode, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Diff_id_is_the_sha256_of_the_tar_bytes()
    {
        using var layer = new TempLayer();
        byte[] tar = new LayerTar().Directory("etc").File("etc/hostname", "berth\n").Build();

        LayerApplyResult result = await ApplyAsync(tar, layer.Target);

        Assert.Equal(Digest.Compute(tar), result.DiffId);
        Assert.Equal(tar.Length, result.Size);
    }

    [Fact]
    public async Task Files_directories_and_symlinks_are_created_with_content_and_mtimes()
    {
        using var layer = new TempLayer();
        byte[] tar = new LayerTar()
            .Directory("usr").Directory("usr/bin")
            .File("usr/bin/tool", "#!/bin/sh\n", (UnixFileMode)0x1ed)
            .Symlink("bin", "usr/bin")
            .File("deep/missing/parent.txt", "made")
            .Build();

        await ApplyAsync(tar, layer.Target);

        Assert.Equal("#!/bin/sh\n", await File.ReadAllTextAsync(layer["usr/bin/tool"], TestContext.Current.CancellationToken));
        Assert.Equal("made", await File.ReadAllTextAsync(layer["deep/missing/parent.txt"], TestContext.Current.CancellationToken));
        Assert.Equal(0x1ed, FileSystemOps.Stat(layer["usr/bin/tool"]).Permissions);
        Assert.Equal(FileStatus.Symlink, FileSystemOps.Stat(layer["bin"]).Type);
        Assert.Equal("usr/bin", new FileInfo(layer["bin"]).LinkTarget);
        long expected = LayerTar.Time.ToUnixTimeSeconds();
        Assert.Equal(expected, FileSystemOps.Stat(layer["usr/bin/tool"]).MtimeSeconds);
        Assert.Equal(expected, FileSystemOps.Stat(layer["bin"]).MtimeSeconds);
        Assert.Equal(expected, FileSystemOps.Stat(layer["usr/bin"]).MtimeSeconds);
        Assert.Equal(expected, FileSystemOps.Stat(layer["usr"]).MtimeSeconds);
    }

    [Fact]
    public async Task Owners_and_setuid_setgid_sticky_bits_are_kept()
    {
        Requires.Root();
        using var layer = new TempLayer();
        byte[] tar = new LayerTar()
            .File("su", "x", (UnixFileMode)0xded, uid: 1000, gid: 1001)
            .Directory("tmp", (UnixFileMode)0x3ff, uid: 5, gid: 6)
            .Symlink("link", "su")
            .Build();

        await ApplyAsync(tar, layer.Target);

        FileStatus su = FileSystemOps.Stat(layer["su"]);
        Assert.Equal(0xded, su.Permissions);
        Assert.Equal((1000, 1001), (su.Uid, su.Gid));
        FileStatus tmp = FileSystemOps.Stat(layer["tmp"]);
        Assert.Equal(0x3ff, tmp.Permissions);
        Assert.Equal((5, 6), (tmp.Uid, tmp.Gid));
    }

    [Fact]
    public async Task Hardlinks_share_an_inode()
    {
        using var layer = new TempLayer();
        byte[] tar = new LayerTar().File("a", "shared").Directory("d").Hardlink("d/b", "a").Build();

        await ApplyAsync(tar, layer.Target);

        FileStatus a = FileSystemOps.Stat(layer["a"]);
        Assert.Equal(a.Inode, FileSystemOps.Stat(layer["d/b"]).Inode);
        Assert.Equal(2UL, a.LinkCount);
    }

    [Fact]
    public async Task Devices_and_fifos_are_made_with_their_numbers()
    {
        Requires.Root();
        using var layer = new TempLayer();
        byte[] tar = new LayerTar()
            .Device("null", TarEntryType.CharacterDevice, 1, 3)
            .Device("loop", TarEntryType.BlockDevice, 7, 300)
            .Add(new PaxTarEntry(TarEntryType.Fifo, "fifo") { Mode = (UnixFileMode)0x180 })
            .Build();

        await ApplyAsync(tar, layer.Target);

        FileStatus nul = FileSystemOps.Stat(layer["null"]);
        Assert.Equal(FileStatus.CharDevice, nul.Type);
        Assert.Equal((1u, 3u), (nul.DeviceMajor, nul.DeviceMinor));
        FileStatus loop = FileSystemOps.Stat(layer["loop"]);
        Assert.Equal(FileStatus.BlockDevice, loop.Type);
        Assert.Equal((7u, 300u), (loop.DeviceMajor, loop.DeviceMinor));
        Assert.Equal(FileStatus.Fifo, FileSystemOps.Stat(layer["fifo"]).Type);
        Assert.Equal(0x180, FileSystemOps.Stat(layer["fifo"]).Permissions);
    }

    [Fact]
    public async Task Whiteouts_become_0_0_char_devices_and_opaque_markers_an_xattr()
    {
        Requires.Root();
        using var layer = new TempLayer();
        byte[] tar = new LayerTar()
            .Directory("etc").File("etc/.wh.motd", "")
            .Directory("var").Directory("var/cache").File("var/cache/.wh..wh..opq", "").File("var/cache/kept", "k")
            .File(".wh.gone", "")
            .Build();

        await ApplyAsync(tar, layer.Target);

        FileStatus motd = FileSystemOps.Stat(layer["etc/motd"]);
        Assert.Equal(FileStatus.CharDevice, motd.Type);
        Assert.Equal((0u, 0u), (motd.DeviceMajor, motd.DeviceMinor));
        Assert.Equal(FileStatus.CharDevice, FileSystemOps.Stat(layer["gone"]).Type);
        Assert.Equal("y"u8.ToArray(), FileSystemOps.GetXattr(layer["var/cache"], "trusted.overlay.opaque"));
        Assert.Null(FileSystemOps.GetXattr(layer["var"], "trusted.overlay.opaque"));
        Assert.True(File.Exists(layer["var/cache/kept"]));
        Assert.Empty(Directory.GetFileSystemEntries(layer.Target, ".wh.*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Security_capability_xattr_is_kept_after_chown()
    {
        Requires.Root();
        using var layer = new TempLayer();
        var pax = new Dictionary<string, string>
        {
            ["SCHILY.xattr.security.capability"] = Encoding.UTF8.GetString(NetBindServiceCapability),
            ["SCHILY.xattr.user.note"] = "hello",
        };
        byte[] tar = new LayerTar().File("ping", "elf", (UnixFileMode)0x1ed, uid: 0, gid: 0, pax).Build();

        await ApplyAsync(tar, layer.Target);

        Assert.Equal(NetBindServiceCapability, FileSystemOps.GetXattr(layer["ping"], "security.capability"));
        Assert.Equal("hello"u8.ToArray(), FileSystemOps.GetXattr(layer["ping"], "user.note"));
    }

    [Fact]
    public async Task A_path_of_another_type_is_replaced()
    {
        using var layer = new TempLayer();
        await ApplyAsync(new LayerTar().Directory("x").File("x/inner", "i").File("y", "file").Symlink("z", "y").Build(), layer.Target);

        await ApplyAsync(new LayerTar().File("x", "now a file").Directory("y").Directory("z").Build(), layer.Target);

        Assert.Equal("now a file", await File.ReadAllTextAsync(layer["x"], TestContext.Current.CancellationToken));
        Assert.True(FileSystemOps.Stat(layer["y"]).IsDirectory);
        Assert.True(FileSystemOps.Stat(layer["z"]).IsDirectory);
    }

    [Fact]
    public async Task A_dot_dot_escape_is_refused_naming_the_entry()
    {
        using var layer = new TempLayer();

        var ex = await Assert.ThrowsAsync<BerthException>(() => ApplyAsync(new LayerTar().File("../escape", "x").Build(), layer.Target));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("../escape", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(layer.Base, "escape")));
    }

    [Fact]
    public async Task An_absolute_name_is_confined_to_the_layer()
    {
        using var layer = new TempLayer();

        await ApplyAsync(new LayerTar().File("/abs/path", "x").Build(), layer.Target);

        Assert.True(File.Exists(layer["abs/path"]));
    }

    /// <summary>Each case and whether it is refused (InvalidArgument naming the entry) or applied confined to the layer,
    /// in both whiteout modes.</summary>
    public static TheoryData<string, bool, WhiteoutMode> MaliciousCases
    {
        get
        {
            var data = new TheoryData<string, bool, WhiteoutMode>();
            foreach (WhiteoutMode mode in Enum.GetValues<WhiteoutMode>())
            {
                foreach ((string name, bool refused) in new[]
                {
                    ("dotdot", true), ("dotdot-deep", true), ("absolute-symlink-parent", true), ("relative-symlink-parent", true),
                    ("symlink-chain", false), ("hardlink-etc-passwd", true), ("hardlink-dotdot", true),
                    ("hardlink-through-symlink", true), ("symlink-then-directory", false), ("opaque-through-symlink", true),
                    ("whiteout-through-symlink", true),
                })
                {
                    data.Add(name, refused, mode);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MaliciousCases))]
    public async Task Malicious_tars_write_nothing_outside_the_target(string name, bool refused, WhiteoutMode mode)
    {
        using var layer = new TempLayer();
        ulong passwdLinks = FileSystemOps.Stat("/etc/passwd").LinkCount;
        string sentinelFromRoot = Path.GetRelativePath("/", layer.Sentinel);
        LayerTar tar = name switch
        {
            "dotdot" => new LayerTar().File("../sentinel/escape", "x"),
            "dotdot-deep" => new LayerTar().Directory("a").File("a/../../sentinel/escape", "x"),
            "absolute-symlink-parent" => new LayerTar().Symlink("evil", layer.Sentinel).File("evil/file", "x"),
            "relative-symlink-parent" => new LayerTar().Symlink("evil", "../sentinel").File("evil/file", "x"),
            "symlink-chain" => new LayerTar().Symlink("l1", "l2").Symlink("l2", "../../../../../..")
                .File($"l1/{sentinelFromRoot}/file", "x"),
            "hardlink-etc-passwd" => new LayerTar().Hardlink("passwd", "/etc/passwd"),
            "hardlink-dotdot" => new LayerTar().Hardlink("passwd", "../../../../../../etc/passwd"),
            "hardlink-through-symlink" => new LayerTar().Symlink("etc", "/etc").Hardlink("passwd", "etc/passwd"),
            "symlink-then-directory" => new LayerTar().Symlink("evil", layer.Sentinel)
                .Directory("evil", (UnixFileMode)0x1ff, uid: 1234).File("evil/file", "x"),
            "opaque-through-symlink" => new LayerTar().Symlink("evil", layer.Sentinel).File("evil/.wh..wh..opq", ""),
            "whiteout-through-symlink" => new LayerTar().Symlink("evil", layer.Sentinel).File("evil/.wh.file", ""),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        if (refused)
        {
            var ex = await Assert.ThrowsAsync<BerthException>(() => ApplyAsync(tar.Build(), layer.Target, mode));
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.Contains("layer entry", ex.Message, StringComparison.Ordinal);
        }
        else
        {
            await ApplyAsync(tar.Build(), layer.Target, mode);
        }

        Assert.Empty(Directory.GetFileSystemEntries(layer.Sentinel));
        Assert.Equal(["layer", "sentinel"], Directory.GetFileSystemEntries(layer.Base).Select(Path.GetFileName).Order());
        Assert.Null(FileSystemOps.GetXattr(layer.Sentinel, "trusted.overlay.opaque"));
        Assert.Equal(0, FileSystemOps.Stat(layer.Sentinel).Uid == 1234 ? 1 : 0);
        Assert.Equal(passwdLinks, FileSystemOps.Stat("/etc/passwd").LinkCount);
    }
}
