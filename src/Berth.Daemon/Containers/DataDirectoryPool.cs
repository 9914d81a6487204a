using Berth.Linux;
using Berth.Storage.Content;

namespace Berth.Daemon.Containers;

/// <summary>
/// Recycles containers' data directories: a removed container's directory, emptied of its logs' contents, waits as a
/// spare (<c>.spare-*</c>) with its hostname, hosts, resolv.conf and log files, and the next container takes it over.
/// The files are rewritten in place, so a container's create and removal make and delete no inode there (see
/// <see cref="SparePool"/> for why that matters).
/// </summary>
internal sealed class DataDirectoryPool
{
    private const string SpareLog = "log";

    private static readonly string[] Kept = ["hostname", "hosts", "resolv.conf"];

    private readonly SparePool _spares;

    public DataDirectoryPool(string parent)
    {
        Directory.CreateDirectory(parent);
        _spares = new SparePool(parent);
    }

    /// <summary>Makes <paramref name="directory"/> for container <paramref name="id"/>, from a spare when there is one.</summary>
    public void Take(string directory, string id)
    {
        while (_spares.TryTake(out string? spare))
        {
            try
            {
                Directory.Move(spare, directory);
            }
            catch (DirectoryNotFoundException)
            {
                continue; // gone since (removed by hand): try the next one
            }

            string log = Path.Combine(directory, SpareLog);
            if (File.Exists(log))
            {
                File.Move(log, Path.Combine(directory, id + "-json.log"));
            }

            return;
        }

        Directory.CreateDirectory(directory);
    }

    /// <summary>
    /// Removes what is container <paramref name="id"/>'s own in <paramref name="directory"/> and keeps the rest as a
    /// spare: the files stay, empty (nothing the container logged or was given survives), and anything else goes.
    /// </summary>
    public void Park(string directory, string id)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        if (_spares.IsFull)
        {
            Directory.Delete(directory, recursive: true);
            return;
        }

        string log = id + "-json.log";
        foreach (string entry in Directory.EnumerateFileSystemEntries(directory).ToList())
        {
            string name = Path.GetFileName(entry);
            FileStatus? status = FileSystemOps.TryStat(entry);
            if (status is { Type: FileStatus.Regular } && (name == log || Kept.Contains(name, StringComparer.Ordinal)))
            {
                File.Open(entry, FileMode.Truncate, FileAccess.Write).Dispose();
            }
            else if (status is { IsDirectory: true })
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        if (File.Exists(Path.Combine(directory, log)))
        {
            File.Move(Path.Combine(directory, log), Path.Combine(directory, SpareLog));
        }

        string spare = _spares.NewPath();
        Directory.Move(directory, spare);
        _spares.GiveBack(spare);
    }
}
