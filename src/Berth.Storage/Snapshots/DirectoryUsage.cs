using Berth.Core.Snapshots;
using Berth.Linux;

namespace Berth.Storage.Snapshots;

/// <summary>Bytes and inodes under a directory, counting a hardlinked inode once and never following a symlink.</summary>
internal static class DirectoryUsage
{
    public static SnapshotUsage Measure(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return default;
        }

        var seen = new HashSet<ulong>();
        long size = 0;
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.TryPop(out string? current))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (string entry in Directory.EnumerateFileSystemEntries(current))
            {
                FileStatus status = FileSystemOps.Stat(entry);
                if (status.IsDirectory)
                {
                    pending.Push(entry);
                }

                if (seen.Add(status.Inode) && status.Type is FileStatus.Regular or FileStatus.Symlink)
                {
                    size += status.Size;
                }
            }
        }

        return new SnapshotUsage(size, seen.Count);
    }
}
