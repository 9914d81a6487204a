using System.Globalization;
using Berth.Linux;

namespace Berth.Runtime.Cgroups;

/// <summary>Walks shared by both versions: reading pids below a cgroup and removing a container's cgroup.</summary>
internal static class CgroupDirectory
{
    // A process that just exited can keep the cgroup busy for a moment: retry soon, then back off (1 ms … ~0.5 s).
    private const int RemoveAttempts = 10;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(1);

    /// <summary>Every pid in cgroup.procs of <paramref name="directory"/> and its descendant cgroups.</summary>
    public static List<int> ReadPidsRecursive(string directory)
    {
        var pids = new List<int>();
        if (!Directory.Exists(directory))
        {
            return pids;
        }

        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.TryPop(out string? current))
        {
            string? procs = CgroupFile.TryRead(current, "cgroup.procs");
            foreach (string line in (procs ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid))
                {
                    pids.Add(pid);
                }
            }

            foreach (string child in EnumerateChildCgroups(current))
            {
                pending.Push(child);
            }
        }

        return pids;
    }

    /// <summary>
    /// Removes <paramref name="leaf"/> and the cgroups the container created below it (deepest first; the
    /// kernel refuses to rmdir a cgroup with children). Never goes above the leaf: parents like /berth are
    /// shared with other containers. A leaf that is already gone is fine.
    /// </summary>
    public static void RemoveTree(ICgroupDirectories directories, string leaf)
    {
        if (!Directory.Exists(leaf))
        {
            return;
        }

        foreach (string child in EnumerateChildCgroups(leaf))
        {
            RemoveTree(directories, child);
        }

        RemoveWithRetry(directories, leaf);
    }

    private static void RemoveWithRetry(ICgroupDirectories directories, string path)
    {
        TimeSpan delay = FirstRetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            Errno errno;
            try
            {
                directories.Remove(path);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errno = CgroupFile.ErrnoOf(ex);
            }

            if (errno == Errno.ENOENT)
            {
                return;
            }

            if (errno != Errno.EBUSY || attempt == RemoveAttempts)
            {
                throw new LinuxException(errno, "rmdir", path);
            }

            Thread.Sleep(delay);
            delay *= 2;
        }
    }

    // Only real directories: a symlink is never a child cgroup, and following one could leave the tree.
    private static IEnumerable<string> EnumerateChildCgroups(string directory) =>
        new DirectoryInfo(directory)
            .EnumerateDirectories()
            .Where(d => d.LinkTarget is null)
            .Select(d => d.FullName);
}
