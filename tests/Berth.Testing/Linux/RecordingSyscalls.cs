using Berth.Linux;
using Berth.Linux.Spawn;

namespace Berth.Testing.Linux;

/// <summary>
/// An <see cref="ISyscalls"/> that changes nothing: it records each call as one readable line and keeps a
/// small in-memory file tree (directories and files that "exist") so path logic can be exercised without root.
/// </summary>
public sealed class RecordingSyscalls : ISyscalls
{
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "/" };
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    /// <summary>Makes a call fail: each call whose line starts with the prefix throws the errno (a <c>Try</c> call returns it).</summary>
    public (string Prefix, Errno Errno)? FailOn { get; set; }

    public RecordingSyscalls WithDirectory(string path)
    {
        for (string? p = path; p is not null && p != "/"; p = Path.GetDirectoryName(p))
        {
            _directories.Add(p);
        }

        return this;
    }

    public RecordingSyscalls WithFile(string path, string? linkTarget = null)
    {
        WithDirectory(Path.GetDirectoryName(path)!);
        _files.Add(path);
        if (linkTarget is not null)
        {
            _links[path] = linkTarget;
        }

        return this;
    }

    public IEnumerable<string> CallsStartingWith(string prefix) => Calls.Where(c => c.StartsWith(prefix, StringComparison.Ordinal));

    public void Mount(string? source, string target, string? fsType, MountFlags flags, string? data) =>
        Record($"mount {source ?? "-"} {target} {fsType ?? "-"} {flags} {data ?? "-"}");

    public Errno TryUnmount(string target, UnmountFlags flags)
    {
        // A Try call reports what FailOn asks for as its errno, as the real one does, instead of throwing.
        string line = $"umount {target} {flags}";
        Calls.Add(line);
        return FailOn is { } fail && line.StartsWith(fail.Prefix, StringComparison.Ordinal) ? fail.Errno : Errno.None;
    }

    public MountFlags GetLockedMountFlags(string path) => MountFlags.None;

    public Errno TryMakeDirectory(string path, int mode)
    {
        if (_directories.Contains(path))
        {
            return Errno.EEXIST;
        }

        Record($"mkdir {path}");
        _directories.Add(path);
        return Errno.None;
    }

    public void MakeNode(string path, int mode, ulong device)
    {
        Record($"mknod {path} {Convert.ToString(mode, 8)} {device}");
        _files.Add(path);
    }

    public void Symlink(string target, string linkPath)
    {
        Record($"symlink {linkPath} -> {target}");
        _files.Add(linkPath);
        _links[linkPath] = target;
    }

    public void Chown(string path, int uid, int gid) => Record($"chown {path} {uid}:{gid}");

    public void Chmod(string path, int mode) => Record($"chmod {path} {Convert.ToString(mode, 8)}");

    public void Touch(string path)
    {
        Record($"touch {path}");
        _files.Add(path);
    }

    public string? ReadLink(string path) => _links.GetValueOrDefault(path);

    public bool IsDirectory(string path) => _directories.Contains(path);

    public bool Exists(string path) => _directories.Contains(path) || _files.Contains(path);

    public bool CanExecute(string path) => _files.Contains(path);

    public void ChangeDirectory(string path) => Record($"chdir {path}");

    public void PivotRoot(string rootfs) => Record($"pivot_root {rootfs}");

    public void Unshare(NamespaceFlags flags) => Record($"unshare {flags}");

    public void SetHostname(string name) => Record($"sethostname {name}");

    public void SetDomainname(string name) => Record($"setdomainname {name}");

    public void WriteFile(string path, string content) => Record($"write {path} {content}");

    public string[] ReadLines(string path) => [];

    public void SetUmask(int mask) => Record($"umask {Convert.ToString(mask, 8)}");

    public void Run(SpawnOp op) => Record(op.Description);

    private void Record(string line)
    {
        Calls.Add(line);
        if (FailOn is { } fail && line.StartsWith(fail.Prefix, StringComparison.Ordinal))
        {
            throw new LinuxException(fail.Errno, line);
        }
    }
}
