using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Testing;

/// <summary>
/// An OCI bundle in a temp dir: a busybox-static rootfs (one relative symlink per applet in /bin, /etc/passwd and
/// /etc/group with root and a test user 1000:1000, /tmp) and a config.json that starts as <c>runc spec</c>'s output
/// (for every runtime, so differential tests compare like with like) and is edited through a small fluent API.
/// The config is written by <see cref="Save"/> (the runners call it before create/run).
/// Every bundle has its own absolute <c>linux.cgroupsPath</c> (<c>/berth-test-NAME</c>), so containers never land
/// inside the test process' own cgroups; Dispose removes those cgroup dirs if a runtime left them, and the bundle.
/// </summary>
public sealed class BusyboxBundle : IDisposable
{
    public const string BusyboxPath = "/bin/busybox";
    public const int TestUid = 1000;
    public const int TestGid = 1000;

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    private BusyboxBundle(string path, JsonNode config)
    {
        Path = path;
        Config = config;
        Name = System.IO.Path.GetFileName(path);
        CgroupName = "berth-test-" + Name;
    }

    /// <summary>The bundle directory.</summary>
    public string Path { get; }

    public string Name { get; }

    public string RootfsPath => System.IO.Path.Combine(Path, "rootfs");

    public string ConfigPath => System.IO.Path.Combine(Path, "config.json");

    /// <summary>The cgroup dir name at the root of every hierarchy (<c>linux.cgroupsPath = "/" + CgroupName</c>).</summary>
    public string CgroupName { get; }

    /// <summary>A host dir bind-mounted read-write at /shared by <see cref="WithSharedDir"/>.</summary>
    public string SharedDir => System.IO.Path.Combine(Path, "shared");

    /// <summary>The whole config.json, editable.</summary>
    public JsonNode Config { get; }

    public JsonNode Process => Config["process"]!;

    public JsonNode Linux => Config["linux"]!;

    /// <summary>Builds the rootfs and the config (process.terminal=false, args <c>true</c>).</summary>
    public static BusyboxBundle Create()
    {
        string dir = Directory.CreateTempSubdirectory("berth-bundle-").FullName;
        try
        {
            BuildRootfs(System.IO.Path.Combine(dir, "rootfs"));
            RunTool(RuntimeRunner.RuncPath, dir, "spec");
            JsonNode config = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(dir, "config.json")))!;
            var bundle = new BusyboxBundle(dir, config);
            bundle.Process["terminal"] = false;
            bundle.Linux["cgroupsPath"] = "/" + bundle.CgroupName;
            bundle.WithArgs("true");
            bundle.Save();
            return bundle;
        }
        catch
        {
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    public BusyboxBundle WithArgs(params string[] args)
    {
        Process["args"] = Array(args);
        return this;
    }

    /// <summary>Runs <paramref name="script"/> with <c>sh -c</c> as the container's process.</summary>
    public BusyboxBundle WithShell(string script) => WithArgs("sh", "-c", script);

    public BusyboxBundle WithEnv(params string[] env)
    {
        Process["env"] = Array(env);
        return this;
    }

    public BusyboxBundle WithCwd(string cwd)
    {
        Process["cwd"] = cwd;
        return this;
    }

    public BusyboxBundle WithUser(int uid, int gid, params int[] additionalGids)
    {
        var user = new JsonObject { ["uid"] = uid, ["gid"] = gid };
        if (additionalGids.Length > 0)
        {
            user["additionalGids"] = new JsonArray(additionalGids.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray());
        }

        Process["user"] = user;
        return this;
    }

    public BusyboxBundle WithHostname(string hostname)
    {
        Config["hostname"] = hostname;
        return this;
    }

    public BusyboxBundle WithReadonlyRoot(bool readOnly)
    {
        Config["root"]!["readonly"] = readOnly;
        return this;
    }

    /// <summary>Adds or replaces the rlimit <paramref name="type"/> (e.g. RLIMIT_NOFILE).</summary>
    public BusyboxBundle WithRlimit(string type, ulong soft, ulong hard)
    {
        JsonArray rlimits = Process["rlimits"] as JsonArray ?? [];
        Process["rlimits"] = rlimits;
        foreach (JsonNode? existing in rlimits.Where(r => (string?)r?["type"] == type).ToList())
        {
            rlimits.Remove(existing);
        }

        rlimits.Add(new JsonObject { ["type"] = type, ["hard"] = hard, ["soft"] = soft });
        return this;
    }

    public BusyboxBundle WithSysctl(string key, string value)
    {
        JsonObject sysctl = Linux["sysctl"] as JsonObject ?? [];
        Linux["sysctl"] = sysctl;
        sysctl[key] = value;
        return this;
    }

    /// <summary>Sets <c>linux.resources.memory.limit</c> in bytes.</summary>
    public BusyboxBundle WithMemoryLimit(long bytes)
    {
        Resources("memory")["limit"] = bytes;
        return this;
    }

    public BusyboxBundle WithPidsLimit(long limit)
    {
        Resources("pids")["limit"] = limit;
        return this;
    }

    public BusyboxBundle WithCgroupsPath(string? cgroupsPath)
    {
        if (cgroupsPath is null)
        {
            Linux.AsObject().Remove("cgroupsPath");
        }
        else
        {
            Linux["cgroupsPath"] = cgroupsPath;
        }

        return this;
    }

    public BusyboxBundle WithMount(string destination, string type, string source, params string[] options)
    {
        var mount = new JsonObject { ["destination"] = destination, ["type"] = type, ["source"] = source };
        if (options.Length > 0)
        {
            mount["options"] = Array(options);
        }

        Config["mounts"]!.AsArray().Add(mount);
        return this;
    }

    /// <summary>Bind-mounts <see cref="SharedDir"/> (created, mode 0777) read-write at /shared: the test's window into the container.</summary>
    public BusyboxBundle WithSharedDir()
    {
        Directory.CreateDirectory(SharedDir);
        File.SetUnixFileMode(SharedDir, (UnixFileMode)0b111_111_111);
        return WithMount("/shared", "bind", SharedDir, "rbind", "rw");
    }

    /// <summary>Adds a namespace entry (any type string, valid or not) to <c>linux.namespaces</c>.</summary>
    public BusyboxBundle WithNamespace(string type, string? path = null)
    {
        var ns = new JsonObject { ["type"] = type };
        if (path is not null)
        {
            ns["path"] = path;
        }

        Linux["namespaces"]!.AsArray().Add(ns);
        return this;
    }

    /// <summary>Any other edit.</summary>
    public BusyboxBundle Edit(Action<JsonNode> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        edit(Config);
        return this;
    }

    /// <summary>The spec's <c>linux.maskedPaths</c>.</summary>
    public IReadOnlyList<string> MaskedPaths => StringList(Linux["maskedPaths"]);

    /// <summary>The spec's <c>linux.readonlyPaths</c>.</summary>
    public IReadOnlyList<string> ReadonlyPaths => StringList(Linux["readonlyPaths"]);

    public void Save() => File.WriteAllText(ConfigPath, Config.ToJsonString(WriteOptions));

    public void Dispose()
    {
        RemoveOwnCgroups();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A mount left under the bundle; LeakCheck names it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Removes /sys/fs/cgroup/*/berth-test-NAME (only this bundle's, deepest first) if a runtime left it.</summary>
    public void RemoveOwnCgroups()
    {
        foreach (string dir in LeakCheck.CgroupHierarchies().Select(h => System.IO.Path.Combine(h, CgroupName)).Where(Directory.Exists))
        {
            foreach (string sub in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(dir))
            {
                try
                {
                    Directory.Delete(sub);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private JsonObject Resources(string controller)
    {
        JsonObject resources = Linux["resources"] as JsonObject ?? [];
        Linux["resources"] = resources;
        JsonObject section = resources[controller] as JsonObject ?? [];
        resources[controller] = section;
        return section;
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static List<string> StringList(JsonNode? node) =>
        node is JsonArray a ? a.Select(n => (string?)n).OfType<string>().ToList() : [];

    private static void BuildRootfs(string rootfs)
    {
        foreach (string d in new[] { "bin", "etc", "tmp", "proc", "sys", "dev", "root", "home/test" })
        {
            Directory.CreateDirectory(System.IO.Path.Combine(rootfs, d));
        }

        File.SetUnixFileMode(System.IO.Path.Combine(rootfs, "tmp"), (UnixFileMode)0b1_111_111_111);
        File.Copy(BusyboxPath, System.IO.Path.Combine(rootfs, "bin", "busybox"));
        string applets = RunTool(BusyboxPath, rootfs, "--list");
        foreach (string applet in applets.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (applet is "busybox" || applet.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            // Relative, so it resolves inside the container's root.
            File.CreateSymbolicLink(System.IO.Path.Combine(rootfs, "bin", applet), "busybox");
        }

        File.WriteAllText(System.IO.Path.Combine(rootfs, "etc", "passwd"),
            "root:x:0:0:root:/root:/bin/sh\n" +
            $"test:x:{TestUid}:{TestGid}:test user:/home/test:/bin/sh\n" +
            "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(System.IO.Path.Combine(rootfs, "etc", "group"),
            "root:x:0:\n" +
            "wheel:x:10:test\n" +
            "tty:x:5:\n" +
            $"test:x:{TestGid}:\n" +
            "extra:x:1001:test\n" +
            "nogroup:x:65534:\n");
        File.WriteAllText(System.IO.Path.Combine(rootfs, "etc", "hosts"), "127.0.0.1 localhost\n");
    }

    private static string RunTool(string program, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }
}
