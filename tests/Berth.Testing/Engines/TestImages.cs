using System.Formats.Tar;
using System.Text;
using Berth.Linux;

namespace Berth.Testing.Engines;

/// <summary>
/// Images built without any engine for the image tests (issue 4), as OCI layouts written by <c>umoci</c>.
/// <see cref="MultiLayerAsync"/> makes three layers that exercise every entry kind a layer can hold:
/// <list type="number">
/// <item>umoci: the busybox-static rootfs (one symlink per applet), /etc/passwd and /etc/group, files to delete later;</item>
/// <item>a tar written here and added with <c>umoci raw add-layer</c>: a whiteout (<c>etc/.wh.removed</c>) and an opaque
/// directory (<c>data/old/.wh..wh..opq</c>) whose lower contents must disappear — umoci itself never writes opaque markers;</item>
/// <item>umoci after unpacking 1+2: hardlinks (same dir and across dirs), relative and absolute symlinks, a setuid
/// and a setgid file, a sticky setgid dir, a file with <c>security.capability</c> (setcap cap_setuid,cap_net_raw+ep —
/// a binary value with a 0x80 byte), a fifo, a char and a block device, files owned by 1000:1000, and a deletion
/// umoci turns into a whiteout (bin/vi).</item>
/// </list>
/// </summary>
public static class TestImages
{
    public const string Tag = "latest";

    /// <summary>A VFS_CAP_REVISION_2 blob granting cap_setuid (bit 7) and cap_net_raw (bit 13), effective: what setcap writes.</summary>
    public static readonly byte[] SetuidNetRawCapability =
        [0x01, 0x00, 0x00, 0x02, 0x80, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    /// <summary>Builds the three-layer image into <paramref name="layout"/> (tag <see cref="Tag"/>); needs root (owners, mknod).</summary>
    public static async Task<OciLayout> MultiLayerAsync(string layout)
    {
        ArgumentException.ThrowIfNullOrEmpty(layout);
        string work = Directory.CreateTempSubdirectory("berth-testimage-").FullName;
        string image = $"{layout}:{Tag}";
        try
        {
            (await Umoci("init", "--layout", layout)).EnsureSuccess();
            (await Umoci("new", "--image", image)).EnsureSuccess();

            string first = Path.Combine(work, "bundle1");
            (await Umoci("unpack", "--image", image, first)).EnsureSuccess();
            await FillBaseAsync(Path.Combine(first, "rootfs"));
            (await Umoci("repack", "--image", image, first)).EnsureSuccess();

            string tar = Path.Combine(work, "layer2.tar");
            await File.WriteAllBytesAsync(tar, WhiteoutLayer());
            (await Umoci("raw", "add-layer", "--image", image, tar)).EnsureSuccess();

            string second = Path.Combine(work, "bundle2");
            (await Umoci("unpack", "--image", image, second)).EnsureSuccess();
            await FillSpecialsAsync(Path.Combine(second, "rootfs"));
            (await Umoci("repack", "--image", image, second)).EnsureSuccess();
            return new OciLayout(layout, Tag);
        }
        finally
        {
            await ProcessTools.DeleteTreeAsync(work);
        }
    }

    private static async Task FillBaseAsync(string rootfs)
    {
        foreach (string d in new[] { "bin", "etc", "tmp", "root", "data/old/sub", "usr/bin" })
        {
            Directory.CreateDirectory(Path.Combine(rootfs, d));
        }

        File.SetUnixFileMode(Path.Combine(rootfs, "tmp"), (UnixFileMode)0x1FF | UnixFileMode.StickyBit);
        File.Copy(BusyboxBundle.BusyboxPath, Path.Combine(rootfs, "bin", "busybox"));
        ProcessResult list = (await ChildProcess.RunAsync(BusyboxBundle.BusyboxPath, ["--list"])).EnsureSuccess();
        foreach (string applet in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (applet != "busybox")
            {
                File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n");
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "group"), "root:x:0:\nuser:x:1000:\n");
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "removed"), "deleted by layer 2\n");
        await File.WriteAllTextAsync(Path.Combine(rootfs, "data", "old", "a"), "hidden by the opaque dir\n");
        await File.WriteAllTextAsync(Path.Combine(rootfs, "data", "old", "sub", "b"), "hidden too\n");
        await File.WriteAllTextAsync(Path.Combine(rootfs, "data", "kept"), "kept\n");
    }

    /// <summary>Layer 2: a whiteout and an opaque directory with new content, as Docker's and containerd's differs write them.</summary>
    private static byte[] WhiteoutLayer()
    {
        var time = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            void Add(TarEntryType type, string name, UnixFileMode mode, string? content = null)
            {
                var entry = new PaxTarEntry(type, name) { Mode = mode, ModificationTime = time };
                if (content is not null)
                {
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                }

                writer.WriteEntry(entry);
            }

            Add(TarEntryType.Directory, "etc/", (UnixFileMode)0x1ed);
            Add(TarEntryType.RegularFile, "etc/.wh.removed", (UnixFileMode)0x1a4, "");
            Add(TarEntryType.Directory, "data/", (UnixFileMode)0x1ed);
            Add(TarEntryType.Directory, "data/old/", (UnixFileMode)0x1ed);
            Add(TarEntryType.RegularFile, "data/old/.wh..wh..opq", (UnixFileMode)0x1a4, "");
            Add(TarEntryType.RegularFile, "data/old/new", (UnixFileMode)0x1a4, "the only file left in data/old\n");
        }

        return buffer.ToArray();
    }

    private static async Task FillSpecialsAsync(string rootfs)
    {
        string Full(string relative) => Path.Combine(rootfs, relative);
        foreach (string d in new[] { "home/user", "run", "dev", "usr/local/bin", "srv/shared" })
        {
            Directory.CreateDirectory(Full(d));
        }

        // Hardlinks: in one directory and across directories.
        await File.WriteAllTextAsync(Full("usr/bin/tool"), "#!/bin/sh\necho tool\n");
        File.SetUnixFileMode(Full("usr/bin/tool"), (UnixFileMode)0x1ed);
        Link(Full("usr/bin/tool"), Full("usr/bin/tool-alias"));
        Link(Full("usr/bin/tool"), Full("usr/local/bin/tool"));

        // Symlinks, relative and absolute, one dangling.
        File.CreateSymbolicLink(Full("usr/local/bin/sh"), "../../../bin/busybox");
        File.CreateSymbolicLink(Full("etc/shell"), "/bin/sh");
        File.CreateSymbolicLink(Full("dangling"), "/nowhere/at/all");

        // setuid and setgid files, a setgid sticky directory.
        await File.WriteAllTextAsync(Full("usr/bin/suid"), "setuid\n");
        File.SetUnixFileMode(Full("usr/bin/suid"), (UnixFileMode)0x9ed); // 04755
        await File.WriteAllTextAsync(Full("usr/bin/sgid"), "setgid\n");
        File.SetUnixFileMode(Full("usr/bin/sgid"), (UnixFileMode)0x5ed); // 02755
        File.SetUnixFileMode(Full("srv/shared"), (UnixFileMode)0xbfd); // 03775

        // security.capability: setcap when libcap2-bin is there, else the same v2 blob written directly.
        File.Copy(BusyboxBundle.BusyboxPath, Full("usr/bin/ping"));
        if (File.Exists("/usr/sbin/setcap"))
        {
            (await ChildProcess.RunAsync("/usr/sbin/setcap", ["cap_setuid,cap_net_raw+ep", Full("usr/bin/ping")])).EnsureSuccess();
        }
        else
        {
            using SafeFd bin = FileSystemOps.OpenRoot(Full("usr/bin"));
            FileSystemOps.SetXattrAt(bin, "ping", "security.capability", SetuidNetRawCapability);
        }

        // A fifo and devices.
        FileDescriptors.MakeFifo(Full("run/fifo"), 0x1b0);
        LinuxSyscalls.Instance.MakeNode(Full("dev/null"), 0x2000 | 0x1b6, FileStatus.MakeDevice(1, 3));
        LinuxSyscalls.Instance.MakeNode(Full("dev/loop7"), 0x6000 | 0x1b0, FileStatus.MakeDevice(7, 7));

        // Owners other than root.
        await File.WriteAllTextAsync(Full("home/user/.profile"), "export PS1='$ '\n");
        LinuxSyscalls.Instance.Chown(Full("home/user/.profile"), 1000, 1000);
        LinuxSyscalls.Instance.Chown(Full("home/user"), 1000, 1000);
        File.SetUnixFileMode(Full("home/user"), (UnixFileMode)0x1c0);

        // A deletion umoci turns into a whiteout.
        File.Delete(Full("bin/vi"));
    }

    private static void Link(string existing, string link)
    {
        using SafeFd from = FileSystemOps.OpenRoot(Path.GetDirectoryName(existing)!);
        using SafeFd to = FileSystemOps.OpenRoot(Path.GetDirectoryName(link)!);
        FileSystemOps.LinkAt(from, Path.GetFileName(existing), to, Path.GetFileName(link));
    }

    private static Task<ProcessResult> Umoci(params string[] args) =>
        ChildProcess.RunAsync(EngineBinaries.Umoci, args, TimeSpan.FromMinutes(2));
}
