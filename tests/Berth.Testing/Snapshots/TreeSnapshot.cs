using System.Security.Cryptography;
using Berth.Linux;

namespace Berth.Testing.Snapshots;

/// <summary>
/// Everything an image layer can say about a file tree, captured without following symlinks: per path the type,
/// permission bits (setuid/setgid/sticky included), owner, device numbers, symlink target, sha256 of the content,
/// xattrs (hex values), mtime, and which earlier path it is a hardlink of. <see cref="Diff"/> lists every difference,
/// so a failing comparison names the paths.
/// </summary>
public sealed class TreeSnapshot
{
    private TreeSnapshot(string root, SortedDictionary<string, TreeEntry> entries)
    {
        Root = root;
        Entries = entries;
    }

    public string Root { get; }

    /// <summary>Relative path (ordinal order, "/"-separated, the root itself excluded) → entry.</summary>
    public IReadOnlyDictionary<string, TreeEntry> Entries { get; }

    public static TreeSnapshot Capture(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var entries = new SortedDictionary<string, TreeEntry>(StringComparer.Ordinal);
        var paths = new List<string>();
        Walk(root, "", paths);
        paths.Sort(StringComparer.Ordinal);
        var firstByInode = new Dictionary<ulong, string>();
        foreach (string relative in paths)
        {
            string full = Path.Combine(root, relative);
            FileStatus s = FileSystemOps.Stat(full);
            string? hardlinkOf = null;
            if (!s.IsDirectory && s.LinkCount > 1 && !firstByInode.TryAdd(s.Inode, relative))
            {
                hardlinkOf = firstByInode[s.Inode];
            }

            string xattrs = string.Join(' ', FileSystemOps.ListXattrs(full).Order(StringComparer.Ordinal)
                .Select(name => $"{name}={Convert.ToHexString(FileSystemOps.GetXattr(full, name) ?? [])}"));
            entries.Add(relative, new TreeEntry(
                Type: TypeName(s.Type),
                Mode: Convert.ToString(s.Permissions, 8).PadLeft(4, '0'),
                Uid: s.Uid,
                Gid: s.Gid,
                Device: s.Type is FileStatus.CharDevice or FileStatus.BlockDevice ? $"{s.DeviceMajor}:{s.DeviceMinor}" : "",
                LinkTarget: s.Type == FileStatus.Symlink ? new FileInfo(full).LinkTarget ?? "" : "",
                Sha256: s.Type == FileStatus.Regular ? Hash(full) : "",
                Xattrs: xattrs,
                MtimeSeconds: s.MtimeSeconds,
                HardlinkOf: hardlinkOf ?? ""));
        }

        return new TreeSnapshot(root, entries);
    }

    /// <summary>Every difference from <paramref name="expected"/>, one line each; empty when the trees match.</summary>
    /// <param name="compareMtimes">Also compare modification times of non-directories.</param>
    public IReadOnlyList<string> Diff(TreeSnapshot expected, bool compareMtimes = false)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var lines = new List<string>();
        foreach ((string path, TreeEntry want) in expected.Entries)
        {
            if (!Entries.TryGetValue(path, out TreeEntry? have))
            {
                lines.Add($"missing: {path} ({want})");
                continue;
            }

            TreeEntry a = compareMtimes && want.Type != "dir" ? have : have with { MtimeSeconds = 0 };
            TreeEntry b = compareMtimes && want.Type != "dir" ? want : want with { MtimeSeconds = 0 };
            if (a != b)
            {
                lines.Add($"differs: {path}\n    expected {b}\n    actual   {a}");
            }
        }

        lines.AddRange(Entries.Keys.Where(path => !expected.Entries.ContainsKey(path)).Select(path => $"unexpected: {path} ({Entries[path]})"));
        return lines;
    }

    /// <summary>Fails listing the differences (at most 50) when this tree is not <paramref name="expected"/>.</summary>
    public void AssertSameAs(TreeSnapshot expected, bool compareMtimes = false)
    {
        IReadOnlyList<string> diff = Diff(expected, compareMtimes);
        if (diff.Count > 0)
        {
            Assert.Fail($"{Root} differs from {expected.Root} in {diff.Count} ways:\n{string.Join('\n', diff.Take(50))}");
        }
    }

    private static void Walk(string root, string relative, List<string> paths)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(Path.Combine(root, relative)))
        {
            string child = relative.Length == 0 ? Path.GetFileName(entry) : relative + "/" + Path.GetFileName(entry);
            paths.Add(child);
            if (FileSystemOps.Stat(entry).IsDirectory)
            {
                Walk(root, child, paths);
            }
        }
    }

    private static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string TypeName(uint type) => type switch
    {
        FileStatus.Directory => "dir",
        FileStatus.Regular => "file",
        FileStatus.Symlink => "symlink",
        FileStatus.CharDevice => "char",
        FileStatus.BlockDevice => "block",
        FileStatus.Fifo => "fifo",
        FileStatus.Socket => "socket",
        _ => $"type {type:x}",
    };
}
