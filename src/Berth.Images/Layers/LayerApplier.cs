using System.Formats.Tar;
using System.Text;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Images.Layers;

/// <summary>
/// Streams an uncompressed layer tar into a directory that will serve as an overlayfs layer, hashing the tar on the
/// same pass (its diff ID). Whiteouts become overlayfs whiteouts (0/0 char devices) and opaque markers the
/// <c>trusted.overlay.opaque</c> xattr. Every parent directory is opened with openat2 RESOLVE_IN_ROOT and every final
/// component is acted on with *at calls that do not follow it, so no entry can write, link or chown outside the target.
/// </summary>
public sealed class LayerApplier
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string XattrPaxPrefix = "SCHILY.xattr.";
    private const string OpaqueXattr = "trusted.overlay.opaque";
    private const int S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFIFO = 0x1000;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An injectable service.")]
    public async Task<LayerApplyResult> ApplyAsync(Stream tar, string targetDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentNullException.ThrowIfNull(targetDirectory);

        using var hasher = new DigestHasher();
        await using var hashing = new HashingReadStream(tar, hasher);
        using SafeFd root = FileSystemOps.OpenRoot(targetDirectory);
        var directoryTimes = new List<(LayerPath Path, DateTimeOffset Time)>();

        await using (var reader = new TarReader(hashing, leaveOpen: true))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                try
                {
                    await ApplyEntryAsync(root, entry, directoryTimes, cancellationToken);
                }
                catch (LinuxException ex)
                {
                    throw Errors.Wrap(ex, $"applying layer entry \"{entry.Name}\"");
                }
            }
        }

        // The diff ID covers the whole stream, including the end-of-archive blocks and any padding after them.
        await hashing.CopyToAsync(Stream.Null, cancellationToken);

        foreach ((LayerPath path, DateTimeOffset time) in directoryTimes)
        {
            using SafeFd parent = OpenParent(root, path, path.ToString(), create: false);
            if (FileSystemOps.TryStatAt(parent, path.Name) is { IsDirectory: true })
            {
                FileSystemOps.SetTimesAt(parent, path.Name, time);
            }
        }

        return new LayerApplyResult(hasher.Current(), hasher.Length);
    }

    private static async Task ApplyEntryAsync(
        SafeFd root, TarEntry entry, List<(LayerPath, DateTimeOffset)> directoryTimes, CancellationToken cancellationToken)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return;
        }

        LayerPath path = LayerPath.Parse(entry.Name);
        if (path.IsRoot)
        {
            return;
        }

        using SafeFd parent = OpenParent(root, path, entry.Name, create: true);
        string name = path.Name;

        if (name == OpaqueMarker)
        {
            FileSystemOps.SetXattrAt(parent, ".", OpaqueXattr, "y"u8);
            return;
        }

        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            string hidden = name[WhiteoutPrefix.Length..];
            if (hidden.Length == 0 || hidden == "." || hidden == "..")
            {
                throw Errors.InvalidArgument($"layer entry \"{entry.Name}\": invalid whiteout name");
            }

            RemoveExisting(parent, hidden, keepDirectory: false);
            FileSystemOps.MakeNodeAt(parent, hidden, S_IFCHR, 0, 0);
            return;
        }

        bool isDirectory = entry.EntryType == TarEntryType.Directory;
        RemoveExisting(parent, name, keepDirectory: isDirectory);

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Errno errno = FileSystemOps.TryMakeDirectoryAt(parent, name, 0x1c0);
                if (errno is not (Errno.None or Errno.EEXIST))
                {
                    throw new LinuxException(errno, "mkdirat", name);
                }

                directoryTimes.Add((path, entry.ModificationTime));
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await WriteFileAsync(parent, name, entry, cancellationToken);
                break;
            case TarEntryType.SymbolicLink:
                FileSystemOps.SymlinkAt(entry.LinkName, parent, name);
                break;
            case TarEntryType.HardLink:
                LinkInsideRoot(root, parent, name, entry);
                return; // a hardlink shares its target's inode, metadata included
            case TarEntryType.CharacterDevice:
                FileSystemOps.MakeNodeAt(parent, name, S_IFCHR, (uint)DeviceMajor(entry), (uint)DeviceMinor(entry));
                break;
            case TarEntryType.BlockDevice:
                FileSystemOps.MakeNodeAt(parent, name, S_IFBLK, (uint)DeviceMajor(entry), (uint)DeviceMinor(entry));
                break;
            case TarEntryType.Fifo:
                FileSystemOps.MakeNodeAt(parent, name, S_IFIFO, 0, 0);
                break;
            default:
                throw Errors.InvalidArgument($"layer entry \"{entry.Name}\": unsupported tar entry type {entry.EntryType}");
        }

        ApplyMetadata(parent, name, entry);
    }

    private static void ApplyMetadata(SafeFd parent, string name, TarEntry entry)
    {
        // Order matters: chown clears setuid/setgid and security.capability, so mode and xattrs come after it.
        if (Environment.IsPrivilegedProcess)
        {
            FileSystemOps.ChownAt(parent, name, entry.Uid, entry.Gid);
        }

        if (entry.EntryType != TarEntryType.SymbolicLink)
        {
            FileSystemOps.ChmodAt(parent, name, (int)entry.Mode);
        }

        if (entry is PaxTarEntry pax)
        {
            foreach ((string key, string value) in pax.ExtendedAttributes)
            {
                if (key.StartsWith(XattrPaxPrefix, StringComparison.Ordinal))
                {
                    FileSystemOps.SetXattrAt(parent, name, key[XattrPaxPrefix.Length..], Encoding.UTF8.GetBytes(value));
                }
            }
        }

        if (entry.EntryType != TarEntryType.Directory)
        {
            FileSystemOps.SetTimesAt(parent, name, entry.ModificationTime);
        }
    }

    private static async Task WriteFileAsync(SafeFd parent, string name, TarEntry entry, CancellationToken cancellationToken)
    {
        using var handle = FileSystemOps.CreateFileAt(parent, name, 0x180);
        await using var file = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        if (entry.DataStream is { } data)
        {
            await data.CopyToAsync(file, cancellationToken);
        }
    }

    private static void LinkInsideRoot(SafeFd root, SafeFd parent, string name, TarEntry entry)
    {
        LayerPath target = LayerPath.Parse(entry.LinkName, "hardlink target");
        if (target.IsRoot)
        {
            throw Errors.InvalidArgument($"layer entry \"{entry.Name}\": hardlink to the layer root");
        }

        using SafeFd targetParent = OpenParent(root, target, entry.Name, create: false);
        FileStatus? status = FileSystemOps.TryStatAt(targetParent, target.Name);
        if (status is null)
        {
            throw Errors.InvalidArgument(
                $"layer entry \"{entry.Name}\": hardlink target \"{entry.LinkName}\" does not exist inside the layer");
        }

        if (status.Value.IsDirectory)
        {
            throw Errors.InvalidArgument($"layer entry \"{entry.Name}\": hardlink target \"{entry.LinkName}\" is a directory");
        }

        FileSystemOps.LinkAt(targetParent, target.Name, parent, name);
    }

    /// <summary>Removes whatever <paramref name="name"/> is, unless it is a directory and one is wanted (Docker keeps it).</summary>
    private static void RemoveExisting(SafeFd parent, string name, bool keepDirectory)
    {
        if (FileSystemOps.TryStatAt(parent, name) is not { } existing)
        {
            return;
        }

        if (existing.IsDirectory)
        {
            if (!keepDirectory)
            {
                Directory.Delete(FileSystemOps.ProcPath(parent, name), recursive: true);
            }

            return;
        }

        Errno errno = FileSystemOps.TryUnlinkAt(parent, name, isDirectory: false);
        if (errno is not (Errno.None or Errno.ENOENT))
        {
            throw new LinuxException(errno, "unlinkat", name);
        }
    }

    /// <summary>
    /// Opens the directory holding <paramref name="path"/>, resolved inside <paramref name="root"/>; missing parents
    /// are created (0755) one component at a time, each resolved inside the root again.
    /// </summary>
    private static SafeFd OpenParent(SafeFd root, LayerPath path, string entryName, bool create)
    {
        string[] parents = path.Components[..^1];
        string parentPath = string.Join('/', parents);
        Errno errno = FileSystemOps.TryOpenDirectoryInRoot(root, parentPath, out SafeFd? parent);
        if (errno == Errno.None)
        {
            return parent!;
        }

        if (errno == Errno.ENOENT && create && parents.Length > 0)
        {
            using SafeFd grandparent = OpenParent(root, new LayerPath(parents), entryName, create: true);
            Errno made = FileSystemOps.TryMakeDirectoryAt(grandparent, parents[^1], 0x1ed);
            if (made is not (Errno.None or Errno.EEXIST))
            {
                throw new LinuxException(made, "mkdirat", parentPath);
            }

            errno = FileSystemOps.TryOpenDirectoryInRoot(root, parentPath, out parent);
            if (errno == Errno.None)
            {
                return parent!;
            }
        }

        throw Errors.InvalidArgument(
            $"layer entry \"{entryName}\": parent \"{parentPath}\" is not a directory inside the layer ({errno})");
    }

    private static int DeviceMajor(TarEntry entry) => entry is PosixTarEntry posix ? posix.DeviceMajor : 0;

    private static int DeviceMinor(TarEntry entry) => entry is PosixTarEntry posix ? posix.DeviceMinor : 0;
}
