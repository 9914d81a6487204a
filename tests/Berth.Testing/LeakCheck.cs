using System.Text;

namespace Berth.Testing;

/// <summary>
/// A snapshot of what a runtime could leave behind on the host: mounts in this process' mount namespace
/// (/proc/self/mountinfo, as "mountpoint fstype source", ignoring mount IDs), cgroup dirs named berth* at the root
/// of every hierarchy (which includes the tests' berth-test-* cgroups), the contents of the runners' --root dirs,
/// processes descended from the test process or mentioning a runner's root in their command line, and this process'
/// open fd count. <see cref="AssertNoLeaks"/> takes a second snapshot and fails listing every difference.
/// </summary>
public sealed class LeakCheck
{
    private readonly IReadOnlyList<RuntimeRunner> _runners;
    private readonly Snapshot _before;

    private LeakCheck(IReadOnlyList<RuntimeRunner> runners)
    {
        _runners = runners;
        _before = Take(runners);
    }

    public static LeakCheck Start(params RuntimeRunner[] runners) => new(runners);

    /// <summary>The v1 hierarchies (/sys/fs/cgroup/memory, ...) and, on a pure v2 host, /sys/fs/cgroup itself.</summary>
    public static IReadOnlyList<string> CgroupHierarchies()
    {
        const string root = "/sys/fs/cgroup";
        if (File.Exists(Path.Combine(root, "cgroup.controllers")))
        {
            return [root];
        }

        return Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).Where(d => File.Exists(Path.Combine(d, "cgroup.procs"))).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public static int OpenFdCount() => Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();

    /// <param name="fdTolerance">Open fds the test process may gain (the runtime thread pool and such).</param>
    public void AssertNoLeaks(int fdTolerance = 4)
    {
        Snapshot after = default;
        var report = new StringBuilder();

        // Let process exits and asynchronous cgroup removal settle before judging.
        for (int attempt = 0; attempt < 20; attempt++)
        {
            after = Take(_runners);
            report.Clear();
            Diff(report, "mount", _before.Mounts, after.Mounts);
            Diff(report, "cgroup dir", _before.Cgroups, after.Cgroups);
            Diff(report, "runtime root entry", _before.RootEntries, after.RootEntries);
            Diff(report, "process", _before.Processes, after.Processes);
            if (after.Fds > _before.Fds + fdTolerance)
            {
                report.AppendLine($"open fds of the test process: {_before.Fds} before, {after.Fds} after (tolerance {fdTolerance})");
                report.AppendLine(string.Join('\n', FdTargets()));
            }

            if (report.Length == 0)
            {
                return;
            }

            Thread.Sleep(100);
        }

        Assert.Fail("left behind:\n" + report);
    }

    private static void Diff(StringBuilder report, string what, IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var remaining = before.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (string item in after)
        {
            if (remaining.TryGetValue(item, out int n) && n > 0)
            {
                remaining[item] = n - 1;
            }
            else
            {
                report.AppendLine($"new {what}: {item}");
            }
        }
    }

    private static Snapshot Take(IReadOnlyList<RuntimeRunner> runners) => new(
        Mounts(),
        Cgroups(),
        runners.SelectMany(r => Directory.Exists(r.Root)
            ? Directory.EnumerateFileSystemEntries(r.Root, "*", SearchOption.AllDirectories).Select(e => $"{r.Name}: {e}")
            : []).Order(StringComparer.Ordinal).ToList(),
        Processes(runners),
        OpenFdCount());

    private static List<string> Mounts() =>
        File.ReadAllLines("/proc/self/mountinfo").Select(line =>
        {
            string[] f = line.Split(' ');
            int sep = Array.IndexOf(f, "-");
            return sep > 0 && f.Length > sep + 2 ? $"{f[4]} {f[sep + 1]} {f[sep + 2]}" : line;
        }).Order(StringComparer.Ordinal).ToList();

    private static List<string> Cgroups() =>
        CgroupHierarchies()
            .SelectMany(h => Directory.EnumerateDirectories(h, "berth*")
                .SelectMany(d => Directory.EnumerateDirectories(d, "*", SearchOption.AllDirectories).Prepend(d)))
            .Order(StringComparer.Ordinal).ToList();

    private static List<string> Processes(IReadOnlyList<RuntimeRunner> runners)
    {
        int self = Environment.ProcessId;
        var parents = new Dictionary<int, int>();
        var commands = new Dictionary<int, string>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == self)
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int close = stat.LastIndexOf(')');
                string[] rest = stat[(close + 2)..].Split(' ');
                if (rest[0] == "Z" && int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) != self)
                {
                    continue;
                }

                parents[pid] = int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture);
                commands[pid] = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        bool IsDescendant(int pid)
        {
            for (int i = 0; i < 64 && parents.TryGetValue(pid, out int ppid); i++, pid = ppid)
            {
                if (ppid == self)
                {
                    return true;
                }
            }

            return false;
        }

        return commands
            .Where(p => IsDescendant(p.Key) || runners.Any(r => p.Value.Contains(r.Root, StringComparison.Ordinal)))
            .Select(p => $"{p.Key} {p.Value}")
            .Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> FdTargets()
    {
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target = null;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
            }

            yield return $"  {Path.GetFileName(fd)} -> {target}";
        }
    }

    private readonly record struct Snapshot(
        IReadOnlyList<string> Mounts,
        IReadOnlyList<string> Cgroups,
        IReadOnlyList<string> RootEntries,
        IReadOnlyList<string> Processes,
        int Fds);
}
