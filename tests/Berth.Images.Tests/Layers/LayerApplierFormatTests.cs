using System.Text;
using Berth.Core.Errors;
using Berth.Images.Layers;
using Berth.Linux;
using Berth.Testing;

namespace Berth.Images.Tests.Layers;

/// <summary>Tar encodings System.Formats.Tar mishandles or cannot write, and headers that lie about their size.</summary>
public sealed class LayerApplierFormatTests
{
    // VFS_CAP_REVISION_2 with cap_setuid (bit 7 → 0x80) and cap_net_raw (bit 13) permitted, effective flag set:
    // bytes ≥ 0x80 that a UTF-8 round trip would turn into U+FFFD.
    private static readonly byte[] SetuidNetRawCapability =
        [0x01, 0x00, 0x00, 0x02, 0x80, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    private static async Task<LayerApplyResult> ApplyAsync(byte[] tar, string target, WhiteoutMode mode = WhiteoutMode.Overlay)
    {
        using var stream = new MemoryStream(tar);
        return await new LayerApplier().ApplyAsync(stream, target, mode, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Binary_xattr_values_in_pax_records_are_written_byte_exact()
    {
        Requires.Root();
        using var layer = new TempLayer();
        byte[] binary = [0x00, 0xff, 0x80, 0xc3, 0x28, 0x0a, 0x3d];
        byte[] tar = new RawTar()
            .Pax(("SCHILY.xattr.security.capability", SetuidNetRawCapability), ("SCHILY.xattr.user.blob", binary))
            .Entry("bin/ping", (byte)'0', "elf"u8.ToArray(), mode: 0x1ed)
            .Build();

        await ApplyAsync(tar, layer.Target);

        Assert.Equal(SetuidNetRawCapability, FileSystemOps.GetXattr(layer["bin/ping"], "security.capability"));
        Assert.Equal(binary, FileSystemOps.GetXattr(layer["bin/ping"], "user.blob"));
    }

    [Fact]
    public async Task Overlay_xattrs_from_the_tar_are_not_applied()
    {
        Requires.Root();
        using var layer = new TempLayer();
        byte[] tar = new RawTar()
            .Pax(("SCHILY.xattr.trusted.overlay.opaque", "y"u8.ToArray()), ("SCHILY.xattr.trusted.overlay.redirect", "/etc"u8.ToArray()))
            .Entry("d", (byte)'5', [], mode: 0x1ed)
            .Build();

        await ApplyAsync(tar, layer.Target);

        Assert.Null(FileSystemOps.GetXattr(layer["d"], "trusted.overlay.opaque"));
        Assert.Null(FileSystemOps.GetXattr(layer["d"], "trusted.overlay.redirect"));
    }

    [Fact]
    public async Task Gnu_long_names_long_links_and_base256_sizes_are_read()
    {
        using var layer = new TempLayer();
        string longName = string.Join('/', Enumerable.Repeat("directory-name-of-forty-characters-long", 5)) + "/file";
        string longTarget = string.Join('/', Enumerable.Repeat("..", 60)) + "/target";
        byte[] tar = new RawTar()
            .Entry("././@LongLink", (byte)'L', Encoding.UTF8.GetBytes(longName + "\0"))
            .Entry("ignored", (byte)'0', "content"u8.ToArray(), base256Size: true)
            .Entry("././@LongLink", (byte)'K', Encoding.UTF8.GetBytes(longTarget + "\0"))
            .Entry("link", (byte)'2', [])
            .Build();

        await ApplyAsync(tar, layer.Target);

        Assert.Equal("content", await File.ReadAllTextAsync(layer[longName], TestContext.Current.CancellationToken));
        Assert.Equal(longTarget, new FileInfo(layer["link"]).LinkTarget);
    }

    [Fact]
    public async Task Pax_path_and_fractional_mtime_override_the_header()
    {
        using var layer = new TempLayer();
        byte[] tar = new RawTar()
            .Pax(("path", "real/name.txt"u8.ToArray()), ("mtime", "1600000000.5"u8.ToArray()))
            .Entry("truncated-name", (byte)'0', "x"u8.ToArray())
            .Build();

        await ApplyAsync(tar, layer.Target);

        FileStatus status = FileSystemOps.Stat(layer["real/name.txt"]);
        Assert.Equal(1600000000, status.MtimeSeconds);
        Assert.Equal(500_000_000, status.MtimeNanoseconds);
    }

    /// <summary>The "enormous header": extended headers claiming gigabytes or megabytes are refused up front.</summary>
    [Theory]
    [InlineData((byte)'x', 4L * 1024 * 1024 * 1024)]
    [InlineData((byte)'L', 10L * 1024 * 1024)]
    [InlineData((byte)'K', 10L * 1024 * 1024)]
    public async Task An_enormous_extended_header_is_refused_before_it_is_read(byte type, long claimed)
    {
        using var layer = new TempLayer();
        byte[] tar = new RawTar().Header("huge", type, claimed).Data(new byte[4096]).Build();

        var ex = await Assert.ThrowsAsync<BerthException>(() => ApplyAsync(tar, layer.Target));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains($"of {claimed} bytes exceeds the", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(layer.Target));
        Assert.Empty(Directory.GetFileSystemEntries(layer.Sentinel));
    }

    [Fact]
    public async Task A_ten_megabyte_name_in_a_pax_record_is_refused()
    {
        using var layer = new TempLayer();
        byte[] tar = new RawTar()
            .Pax(("path", Encoding.ASCII.GetBytes(new string('a', 10 * 1024 * 1024))))
            .Entry("x", (byte)'0', [])
            .Build();

        var ex = await Assert.ThrowsAsync<BerthException>(() => ApplyAsync(tar, layer.Target));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(layer.Target));
    }

    [Fact]
    public async Task A_file_claiming_more_data_than_the_stream_has_fails_as_a_truncated_archive_inside_the_layer()
    {
        using var layer = new TempLayer();
        byte[] tar = new RawTar().Header("big", (byte)'0', 8L * 1024 * 1024 * 1024, base256Size: true).Data(new byte[1024]).Build(endMarker: false);

        var ex = await Assert.ThrowsAsync<BerthException>(() => ApplyAsync(tar, layer.Target));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("unexpected end of archive", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["layer", "sentinel"], Directory.GetFileSystemEntries(layer.Base).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetFileSystemEntries(layer.Sentinel));
    }

    [Fact]
    public async Task A_corrupted_header_checksum_is_refused()
    {
        using var layer = new TempLayer();
        byte[] tar = new RawTar().Entry("a", (byte)'0', "x"u8.ToArray()).Build();
        tar[0] = (byte)'b';

        var ex = await Assert.ThrowsAsync<BerthException>(() => ApplyAsync(tar, layer.Target));

        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_node_is_made_inside_the_layer_and_nothing_is_written_through_it()
    {
        Requires.Root();
        using var layer = new TempLayer();
        byte[] tar = new LayerTar()
            .Device("dev/sda", System.Formats.Tar.TarEntryType.BlockDevice, 8, 0)
            .Device("dev/null", System.Formats.Tar.TarEntryType.CharacterDevice, 1, 3)
            .File("dev/null", "replaced, not written through")
            .Build();

        await ApplyAsync(tar, layer.Target);

        Assert.Equal(FileStatus.BlockDevice, FileSystemOps.Stat(layer["dev/sda"]).Type);
        FileStatus replaced = FileSystemOps.Stat(layer["dev/null"]);
        Assert.Equal(FileStatus.Regular, replaced.Type);
        Assert.Equal(FileStatus.CharDevice, FileSystemOps.Stat("/dev/null").Type);
        Assert.Equal(0, new FileInfo("/dev/null").Length);
    }

    [Fact]
    public async Task Native_mode_deletes_whited_out_paths_and_clears_opaque_directories_but_keeps_this_layers_entries()
    {
        using var layer = new TempLayer();
        await ApplyAsync(
            new LayerTar()
                .Directory("etc").File("etc/motd", "m").File("etc/keep", "k")
                .Directory("var").Directory("var/cache").File("var/cache/old", "o").Directory("var/cache/sub").File("var/cache/sub/old2", "o")
                .Directory("gone").File("gone/inner", "i")
                .Build(),
            layer.Target,
            WhiteoutMode.Native);

        await ApplyAsync(
            new LayerTar()
                .Directory("etc").File("etc/.wh.motd", "")
                .Directory("var").Directory("var/cache").File("var/cache/new", "n")
                .Directory("var/cache/sub").File("var/cache/sub/new2", "n")
                .File("var/cache/.wh..wh..opq", "")
                .File(".wh.gone", "")
                .Build(),
            layer.Target,
            WhiteoutMode.Native);

        Assert.False(File.Exists(layer["etc/motd"]));
        Assert.True(File.Exists(layer["etc/keep"]));
        Assert.False(Directory.Exists(layer["gone"]));
        Assert.Equal(["new", "sub"], Directory.GetFileSystemEntries(layer["var/cache"]).Select(Path.GetFileName).Order());
        Assert.Equal(["new2"], Directory.GetFileSystemEntries(layer["var/cache/sub"]).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(layer.Target, ".wh.*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Native_whiteouts_cannot_delete_outside_the_target()
    {
        using var layer = new TempLayer();
        File.WriteAllText(Path.Combine(layer.Sentinel, "precious"), "p");
        byte[] tar = new LayerTar()
            .Symlink("evil", layer.Sentinel)
            .File("evil/.wh.precious", "")
            .Build();

        var ex = await Assert.ThrowsAsync<BerthException>(() => ApplyAsync(tar, layer.Target, WhiteoutMode.Native));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.True(File.Exists(Path.Combine(layer.Sentinel, "precious")));
    }

    [Fact]
    public async Task Native_opaque_marker_under_a_symlink_clears_nothing_outside()
    {
        using var layer = new TempLayer();
        File.WriteAllText(Path.Combine(layer.Sentinel, "precious"), "p");
        byte[] tar = new LayerTar().Symlink("evil", "../sentinel").File("evil/.wh..wh..opq", "").Build();

        await Assert.ThrowsAsync<BerthException>(() => ApplyAsync(tar, layer.Target, WhiteoutMode.Native));

        Assert.True(File.Exists(Path.Combine(layer.Sentinel, "precious")));
    }

    [Fact]
    public async Task Overlay_parents_created_implicitly_take_the_lower_layers_metadata()
    {
        using var layer = new TempLayer();
        string lower = Path.Combine(layer.Base, "lower");
        Directory.CreateDirectory(Path.Combine(lower, "srv", "app"));
        File.SetUnixFileMode(Path.Combine(lower, "srv"), (UnixFileMode)0x1c0);
        Directory.SetLastWriteTimeUtc(Path.Combine(lower, "srv"), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        var target = new SnapshotApplyTarget(layer.Target, WhiteoutMode.Overlay) { LowerDirectories = [lower] };
        byte[] tar = new LayerTar().File("srv/app/config", "c").File("fresh/file", "f").Build();

        using (var stream = new MemoryStream(tar))
        {
            await new LayerApplier().ApplyAsync(stream, target, TestContext.Current.CancellationToken);
        }

        FileStatus srv = FileSystemOps.Stat(layer["srv"]);
        Assert.Equal(0x1c0, srv.Permissions);
        Assert.Equal(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero).ToUnixTimeSeconds(), srv.MtimeSeconds);
        Assert.Equal(0x1ed, FileSystemOps.Stat(layer["fresh"]).Permissions);
    }

    [Fact]
    public async Task With_the_lowers_pending_implicit_parents_are_listed_and_inherit_once_the_lowers_are_known()
    {
        using var layer = new TempLayer();
        string lower = Path.Combine(layer.Base, "lower");
        Directory.CreateDirectory(Path.Combine(lower, "srv", "app"));
        File.SetUnixFileMode(Path.Combine(lower, "srv"), (UnixFileMode)0x1c0);
        Directory.SetLastWriteTimeUtc(Path.Combine(lower, "srv"), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        var detached = new SnapshotApplyTarget(layer.Target, WhiteoutMode.Overlay) { LowerPending = true };
        byte[] tar = new LayerTar().File("srv/app/config", "c").File("fresh/file", "f").File("own/file", "o").Directory("own").Build();

        LayerApplyResult result;
        using (var stream = new MemoryStream(tar))
        {
            result = await new LayerApplier().ApplyAsync(stream, detached, TestContext.Current.CancellationToken);
        }

        Assert.Equal(["fresh", "srv", "srv/app"], result.PendingDirectories.Order(StringComparer.Ordinal));
        Assert.Equal(0x1ed, FileSystemOps.Stat(layer["srv"]).Permissions);

        new LayerApplier().InheritPendingDirectories(detached with { LowerPending = false, LowerDirectories = [lower] }, result.PendingDirectories);

        FileStatus srv = FileSystemOps.Stat(layer["srv"]);
        Assert.Equal(0x1c0, srv.Permissions);
        Assert.Equal(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero).ToUnixTimeSeconds(), srv.MtimeSeconds);
        Assert.Equal(0x1ed, FileSystemOps.Stat(layer["fresh"]).Permissions);
        Assert.True(File.Exists(layer["srv/app/config"]));
    }
}
