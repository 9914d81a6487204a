using System.Collections.Concurrent;
using Berth.Runtime.Cgroups;

namespace Berth.Testing.Cgroups;

/// <summary>
/// A temp directory laid out like /sys/fs/cgroup, for unit tests of the cgroup managers without root.
/// <list type="bullet">
/// <item>v1 (<see cref="CreateV1"/>): a directory per controller, "cpu,cpuacct" co-mounted with "cpu" and
/// "cpuacct" symlinks, plus the "systemd" named hierarchy and the empty "unified" v2 mount of a hybrid host.</item>
/// <item>v2 (<see cref="CreateV2"/>): cgroup.controllers and cgroup.subtree_control at the root.</item>
/// </list>
/// Managers made by <see cref="CreateManager"/> create directories through the fake, which fills in the
/// control files the kernel would (v1: per hierarchy; v2: per controller enabled in the parent's
/// subtree_control), so "file exists" means "supported" exactly as on cgroupfs. Values read back as
/// written; nothing else is simulated, so a v1 freeze reads FROZEN at once, while a v2 freeze needs the
/// test to set "frozen 1" in cgroup.events (<see cref="SetV2Frozen"/>).
/// </summary>
public sealed class FakeCgroupTree : IDisposable
{
    /// <summary>Control files (and initial values) each controller adds to a new cgroup.</summary>
    private static readonly Dictionary<string, (string Name, string Value)[]> V1Files = new(StringComparer.Ordinal)
    {
        ["memory"] =
        [
            ("memory.limit_in_bytes", "9223372036854771712"), ("memory.soft_limit_in_bytes", "9223372036854771712"),
            ("memory.swappiness", "60"), ("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"),
        ],
        ["cpu"] = [("cpu.shares", "1024"), ("cpu.cfs_quota_us", "-1"), ("cpu.cfs_period_us", "100000")],
        ["cpuacct"] = [("cpuacct.usage", "0")],
        ["cpuset"] = [("cpuset.cpus", ""), ("cpuset.mems", "")],
        ["pids"] = [("pids.max", "max"), ("pids.current", "0")],
        ["freezer"] = [("freezer.state", "THAWED")],
        ["blkio"] = [("blkio.weight", "500")],
        ["devices"] = [("devices.list", "a *:* rwm")],
    };

    private static readonly Dictionary<string, (string Name, string Value)[]> V2Files = new(StringComparer.Ordinal)
    {
        ["memory"] =
        [
            ("memory.max", "max"), ("memory.low", "0"), ("memory.high", "max"), ("memory.swap.max", "max"),
            ("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"),
        ],
        ["cpu"] = [("cpu.weight", "100"), ("cpu.max", "max 100000")],
        ["cpuset"] = [("cpuset.cpus", ""), ("cpuset.mems", "")],
        ["pids"] = [("pids.max", "max")],
        ["io"] = [("io.max", ""), ("io.weight", "default 100")],
    };

    private readonly bool _v2;
    private readonly bool _swapAccounting;

    private FakeCgroupTree(bool v2, bool swapAccounting)
    {
        _v2 = v2;
        _swapAccounting = swapAccounting;
        Root = Path.Join(Path.GetTempPath(), "berth-fake-cgroup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>The fake /sys/fs/cgroup.</summary>
    public string Root { get; }

    private readonly ConcurrentQueue<string> _removed = new();

    /// <summary>Every directory the fake rmdir removed, in order, as paths relative to <see cref="Root"/> ("memory/berth/a").</summary>
    public IReadOnlyCollection<string> Removed => _removed;

    /// <summary>A hybrid-host v1 layout. Without swap accounting there is no memory.memsw.limit_in_bytes.</summary>
    public static FakeCgroupTree CreateV1(bool swapAccounting = true, string cpus = "0-3", string mems = "0")
    {
        var tree = new FakeCgroupTree(v2: false, swapAccounting);
        foreach (string hierarchy in (string[])["memory", "cpu,cpuacct", "cpuset", "pids", "freezer", "blkio", "devices", "systemd"])
        {
            Directory.CreateDirectory(Path.Join(tree.Root, hierarchy));
            File.WriteAllText(Path.Join(tree.Root, hierarchy, "cgroup.procs"), "1\n");
        }

        Directory.CreateSymbolicLink(Path.Join(tree.Root, "cpu"), "cpu,cpuacct");
        Directory.CreateSymbolicLink(Path.Join(tree.Root, "cpuacct"), "cpu,cpuacct");
        tree.Write("cpuset/cpuset.cpus", cpus + "\n");
        tree.Write("cpuset/cpuset.mems", mems + "\n");
        tree.Write("memory/memory.limit_in_bytes", "9223372036854771712\n");
        if (swapAccounting)
        {
            tree.Write("memory/memory.memsw.limit_in_bytes", "9223372036854771712\n");
        }

        // The hybrid host's v2 mount: no controllers, and it must not make the host look like pure v2.
        Directory.CreateDirectory(Path.Join(tree.Root, "unified"));
        tree.Write("unified/cgroup.controllers", "\n");
        tree.Write("unified/cgroup.subtree_control", "\n");
        return tree;
    }

    /// <summary>A pure v2 host whose root offers <paramref name="controllers"/>.</summary>
    public static FakeCgroupTree CreateV2(string controllers = "cpuset cpu io memory hugetlb pids rdma misc")
    {
        var tree = new FakeCgroupTree(v2: true, swapAccounting: true);
        tree.Write("cgroup.controllers", controllers + "\n");
        tree.Write("cgroup.subtree_control", "\n");
        tree.Write("cgroup.procs", "1\n");
        return tree;
    }

    /// <summary>A manager for <paramref name="path"/> ("/berth/abc") whose mkdir/rmdir go through this fake.</summary>
    public ICgroupManager CreateManager(string path) =>
        CgroupManagerFactory.Create(Root, path, new FakeCgroupDirectories(this));

    /// <summary>Reads a file relative to the root, without the trailing newline.</summary>
    public string Read(string relativePath) => File.ReadAllText(Full(relativePath)).TrimEnd('\n');

    public void Write(string relativePath, string content) => File.WriteAllText(Full(relativePath), content);

    public bool FileExists(string relativePath) => File.Exists(Full(relativePath));

    public bool DirectoryExists(string relativePath) => Directory.Exists(Full(relativePath));

    /// <summary>Plays the kernel's part of a v2 freeze: cgroup.events reports the cgroup frozen (or not).</summary>
    public void SetV2Frozen(string relativePath, bool frozen) =>
        Write(relativePath.TrimEnd('/') + "/cgroup.events", $"populated 1\nfrozen {(frozen ? 1 : 0)}\n");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test that produced it.
        }
    }

    internal void RecordRemoved(string directory) => _removed.Enqueue(Path.GetRelativePath(Root, directory));

    /// <summary>Fills a new cgroup directory with the files the kernel would create.</summary>
    internal void Populate(string directory)
    {
        File.WriteAllText(Path.Join(directory, "cgroup.procs"), "");
        if (_v2)
        {
            PopulateV2(directory);
            return;
        }

        string relative = Path.GetRelativePath(Root, directory);
        string hierarchy = relative.Split(Path.DirectorySeparatorChar)[0];
        FileSystemInfo? target = new DirectoryInfo(Path.Join(Root, hierarchy)).ResolveLinkTarget(returnFinalTarget: true);
        string realName = target?.Name ?? hierarchy;
        File.WriteAllText(Path.Join(directory, "tasks"), "");
        foreach (string controller in realName.Split(','))
        {
            foreach ((string name, string value) in V1Files.GetValueOrDefault(controller) ?? [])
            {
                File.WriteAllText(Path.Join(directory, name), value);
            }

            if (controller == "memory" && _swapAccounting)
            {
                File.WriteAllText(Path.Join(directory, "memory.memsw.limit_in_bytes"), "9223372036854771712");
            }
        }
    }

    private static void PopulateV2(string directory)
    {
        string parent = Path.GetDirectoryName(directory)!;

        // The parent's subtree_control decides this cgroup's controllers. The fake file holds what was written
        // ("+cpu +memory"), so apply the tokens in order as the kernel would.
        var enabled = new List<string>();
        foreach (string token in File.ReadAllText(Path.Join(parent, "cgroup.subtree_control")).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            string name = token.TrimStart('+', '-');
            enabled.Remove(name);
            if (!token.StartsWith('-'))
            {
                enabled.Add(name);
            }
        }

        File.WriteAllText(Path.Join(directory, "cgroup.controllers"), string.Join(' ', enabled) + "\n");
        File.WriteAllText(Path.Join(directory, "cgroup.subtree_control"), "");
        File.WriteAllText(Path.Join(directory, "cgroup.events"), "populated 0\nfrozen 0\n");
        File.WriteAllText(Path.Join(directory, "cgroup.freeze"), "0\n");
        foreach (string controller in enabled)
        {
            foreach ((string name, string value) in V2Files.GetValueOrDefault(controller) ?? [])
            {
                File.WriteAllText(Path.Join(directory, name), value);
            }
        }
    }

    private string Full(string relativePath) => Path.Join(Root, relativePath.TrimStart('/'));
}
