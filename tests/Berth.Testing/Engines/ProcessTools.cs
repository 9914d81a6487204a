using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Linux;

namespace Berth.Testing.Engines;

/// <summary>Host chores of the engine fixtures: commands with extra environment, free ports, and cleaning up after an engine.</summary>
public static class ProcessTools
{
    /// <summary>Runs <c>env K=V... program args...</c> through <see cref="ChildProcess"/> (stdin /dev/null, output to files).</summary>
    public static Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var envArgs = (environment ?? new Dictionary<string, string>()).Select(kv => $"{kv.Key}={kv.Value}");
        return ChildProcess.RunAsync("/usr/bin/env", [.. envArgs, program, .. args], timeout);
    }

    /// <summary>Sends SIG<paramref name="signal"/> to exactly one process, by PID.</summary>
    public static async Task SignalAsync(int pid, string signal) =>
        await ChildProcess.RunAsync("/bin/kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Mount points at or under <paramref name="dir"/> in this mount namespace, deepest first.</summary>
    public static IReadOnlyList<string> MountsUnder(string dir)
    {
        string prefix = dir.TrimEnd('/') + "/";
        return MountInfoEntry.ReadAll()
            .Select(mount => mount.MountPoint)
            .Where(mountPoint => mountPoint == prefix.TrimEnd('/') || mountPoint.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(mountPoint => mountPoint.Length)
            .ToList();
    }

    /// <summary>Lazily unmounts everything at or under <paramref name="dir"/> (an engine's data-root, exec-root, runroot).</summary>
    public static async Task UnmountUnderAsync(string dir)
    {
        for (int pass = 0; pass < 5; pass++)
        {
            IReadOnlyList<string> mounts = MountsUnder(dir);
            if (mounts.Count == 0)
            {
                return;
            }

            foreach (string mountPoint in mounts)
            {
                await ChildProcess.RunAsync("/bin/umount", ["-l", mountPoint]);
            }
        }
    }

    /// <summary>
    /// PIDs of processes (not this one) whose command line mentions <paramref name="dir"/>: what an engine started with
    /// its state in our temp dir (containerd shims, conmon) and that may outlive the engine.
    /// </summary>
    public static IReadOnlyList<int> ProcessesMentioning(string dir)
    {
        var pids = new List<int>();
        foreach (string procDir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(procDir), out int pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                string cmdline = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(procDir, "cmdline"))).Replace('\0', ' ');
                if (cmdline.Contains(dir, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    /// <summary>SIGKILLs, by PID, every process <see cref="ProcessesMentioning"/> finds.</summary>
    public static async Task KillProcessesMentioningAsync(string dir)
    {
        foreach (int pid in ProcessesMentioning(dir))
        {
            await SignalAsync(pid, "KILL");
        }
    }

    /// <summary>
    /// Removes the cgroup dir <paramref name="name"/> (a name the fixture chose, berth-test-…) and everything below it
    /// at the root of every hierarchy, deepest first. Never touches any other cgroup.
    /// </summary>
    public static void RemoveCgroupTree(string name)
    {
        if (!name.StartsWith("berth-test-", StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"not a test cgroup name: {name}", nameof(name));
        }

        foreach (string hierarchy in LeakCheck.CgroupHierarchies().Append("/sys/fs/cgroup/unified").Distinct())
        {
            string top = Path.Combine(hierarchy, name);
            if (!Directory.Exists(top))
            {
                continue;
            }

            foreach (string dir in Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(top))
            {
                try
                {
                    Directory.Delete(dir);
                }
                catch (IOException)
                {
                    // Still populated: a process the engine left; nothing more to do without killing unknown PIDs.
                }
            }
        }
    }

    /// <summary>Deletes a temp dir after its mounts are gone; tolerates leftovers it cannot delete (reported, not thrown).</summary>
    public static async Task DeleteTreeAsync(string dir)
    {
        await UnmountUnderAsync(dir);
        if (!Directory.Exists(dir))
        {
            return;
        }

        // overlay work dirs and the like can be d--------- ; rm -rf copes with modes better than Directory.Delete.
        await ChildProcess.RunAsync("/bin/rm", ["-rf", "--one-file-system", dir], TimeSpan.FromMinutes(2));
    }
}
