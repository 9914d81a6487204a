using Berth.Linux;

namespace Berth.Storage.Snapshots;

/// <summary>
/// Copies a directory tree the native snapshotter trusts (its own committed layer) keeping everything an image layer
/// carries: file types (regular, directory, symlink, char/block device, fifo, socket), owners, permission bits
/// including setuid/setgid/sticky, modification times, xattrs (after the chown, which would clear
/// <c>security.capability</c>) and hardlinks between files of the tree.
/// </summary>
internal static class TreeCopier
{
    private const int BufferSize = 128 * 1024;

    public static void Copy(string source, string destination, CancellationToken cancellationToken)
    {
        FileStatus root = FileSystemOps.Stat(source);
        if (!root.IsDirectory)
        {
            throw new IOException($"copying \"{source}\": not a directory");
        }

        Directory.CreateDirectory(destination);
        var links = new Dictionary<ulong, string>();
        var directories = new List<(string Path, FileStatus Status)>();
        CopyDirectory(source, destination, links, directories, cancellationToken);
        string parent = Path.GetDirectoryName(destination)!;
        using SafeFd parentFd = FileSystemOps.OpenRoot(parent);
        CopyMetadata(source, parentFd, Path.GetFileName(destination), root);

        // Directory times last: creating their entries moved them.
        foreach ((string path, FileStatus status) in directories)
        {
            using SafeFd dirParent = FileSystemOps.OpenRoot(Path.GetDirectoryName(path)!);
            SetTimes(dirParent, Path.GetFileName(path), status);
        }

        SetTimes(parentFd, Path.GetFileName(destination), root);
    }

    private static void CopyDirectory(
        string source, string destination, Dictionary<ulong, string> links, List<(string, FileStatus)> directories, CancellationToken cancellationToken)
    {
        using SafeFd target = FileSystemOps.OpenRoot(destination);
        foreach (string entry in Directory.EnumerateFileSystemEntries(source))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = Path.GetFileName(entry);
            string copy = Path.Combine(destination, name);
            FileStatus status = FileSystemOps.Stat(entry);
            if (status.Type != FileStatus.Directory && status.LinkCount > 1)
            {
                if (links.TryGetValue(status.Inode, out string? first))
                {
                    using SafeFd firstParent = FileSystemOps.OpenRoot(Path.GetDirectoryName(first)!);
                    FileSystemOps.LinkAt(firstParent, Path.GetFileName(first), target, name);
                    continue;
                }

                links.Add(status.Inode, copy);
            }

            switch (status.Type)
            {
                case FileStatus.Directory:
                    Errno made = FileSystemOps.TryMakeDirectoryAt(target, name, 0x1c0);
                    if (made != Errno.None)
                    {
                        throw new LinuxException(made, "mkdirat", copy);
                    }

                    CopyDirectory(entry, copy, links, directories, cancellationToken);
                    directories.Add((copy, status));
                    break;
                case FileStatus.Regular:
                    CopyFile(entry, target, name);
                    break;
                case FileStatus.Symlink:
                    FileSystemOps.SymlinkAt(new FileInfo(entry).LinkTarget!, target, name);
                    break;
                default:
                    FileSystemOps.MakeNodeAt(target, name, (int)status.Type, status.DeviceMajor, status.DeviceMinor);
                    break;
            }

            CopyMetadata(entry, target, name, status);
            if (status.Type != FileStatus.Directory)
            {
                SetTimes(target, name, status);
            }
        }
    }

    private static void CopyFile(string source, SafeFd target, string name)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0);
        using var handle = FileSystemOps.CreateFileAt(target, name, 0x180);
        using var output = new FileStream(handle, FileAccess.Write, 0);
        input.CopyTo(output, BufferSize);
    }

    private static void CopyMetadata(string source, SafeFd parent, string name, FileStatus status)
    {
        if (Environment.IsPrivilegedProcess)
        {
            FileSystemOps.ChownAt(parent, name, status.Uid, status.Gid);
        }

        if (status.Type != FileStatus.Symlink)
        {
            FileSystemOps.ChmodAt(parent, name, status.Permissions);
        }

        foreach (string attribute in FileSystemOps.ListXattrs(source))
        {
            if (FileSystemOps.GetXattr(source, attribute) is { } value)
            {
                FileSystemOps.SetXattrAt(parent, name, attribute, value);
            }
        }
    }

    private static void SetTimes(SafeFd parent, string name, FileStatus status) =>
        FileSystemOps.SetTimesAt(parent, name, DateTimeOffset.FromUnixTimeSeconds(status.MtimeSeconds).AddTicks(status.MtimeNanoseconds / 100));
}
