using Berth.Runtime.Cgroups;

namespace Berth.Testing.Cgroups;

/// <summary>
/// mkdir and rmdir the way cgroupfs does them, on a plain temp directory: mkdir populates the control
/// files the controllers would (see <see cref="FakeCgroupTree"/>), rmdir drops them and fails with EBUSY
/// while the cgroup has children or processes.
/// </summary>
internal sealed class FakeCgroupDirectories(FakeCgroupTree tree) : ICgroupDirectories
{
    private const int EBUSY = 16;

    public void Make(string path)
    {
        string? parent = Path.GetDirectoryName(path);
        if (parent is null || !Directory.Exists(parent))
        {
            throw new DirectoryNotFoundException($"parent of {path} does not exist");
        }

        Directory.CreateDirectory(path);
        tree.Populate(path);
    }

    public void Remove(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException(path);
        }

        string procs = Path.Join(path, "cgroup.procs");
        if (Directory.EnumerateDirectories(path).Any() || (File.Exists(procs) && File.ReadAllText(procs).Trim().Length > 0))
        {
            throw new IOException($"Device or resource busy : '{path}'", EBUSY);
        }

        tree.RecordRemoved(path);
        Directory.Delete(path, recursive: true);
    }
}
