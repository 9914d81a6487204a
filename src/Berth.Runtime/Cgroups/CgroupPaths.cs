using Berth.Core.Errors;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// Turns the runtime spec's <c>linux.cgroupsPath</c> into a container's path below each hierarchy root
/// ("/berth/abc"). The result always starts with '/', has no empty, "." or ".." components, and is never
/// the root itself, so a manager can never touch a cgroup outside the ones it creates.
/// </summary>
public static class CgroupPaths
{
    /// <summary>The parent of containers whose spec names no cgroup.</summary>
    public const string DefaultParent = "/berth";

    /// <summary>
    /// Accepts three forms:
    /// <list type="bullet">
    /// <item>absolute "/a/b": used as is;</item>
    /// <item>relative "a/b": also placed below the root ("/a/b"). runc joins a relative path onto the
    /// runtime's own cgroup, but ours may be a supervisor's (a shim, a systemd service, a CI job) whose
    /// cgroup we must not create children in or remove; the hierarchy root is the one stable anchor;</item>
    /// <item>systemd "slice:prefix:name": "/&lt;expanded slice&gt;/&lt;prefix&gt;-&lt;name&gt;.scope", where
    /// "a-b.slice" expands to "a.slice/a-b.slice", "-.slice" is the root and an empty slice means
    /// "system.slice" (runc's default).</item>
    /// </list>
    /// Null or empty gives "/berth/&lt;containerId&gt;".
    /// </summary>
    public static string Resolve(string? cgroupsPath, string containerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        if (string.IsNullOrEmpty(cgroupsPath))
        {
            if (containerId.Contains('/', StringComparison.Ordinal) || containerId is "." or "..")
            {
                throw Errors.InvalidArgument($"container id \"{containerId}\" cannot name a cgroup");
            }

            return $"{DefaultParent}/{containerId}";
        }

        if (!cgroupsPath.StartsWith('/') && cgroupsPath.Split(':') is [string slice, string prefix, string name])
        {
            return Normalize(FromSystemd(slice, prefix, name), cgroupsPath);
        }

        return Normalize(cgroupsPath, cgroupsPath);
    }

    /// <summary>Checks a path handed to a manager directly; returns it normalized ("/a//b/" → "/a/b").</summary>
    public static string Validate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
        {
            throw Errors.InvalidArgument($"cgroup path \"{path}\" must be absolute (below the hierarchy root)");
        }

        return Normalize(path, path);
    }

    /// <summary>"a-b-c.slice" → "/a.slice/a-b.slice/a-b-c.slice"; "-.slice" → "" (the root).</summary>
    internal static string ExpandSlice(string slice)
    {
        const string Suffix = ".slice";
        if (slice == "-.slice")
        {
            return "";
        }

        if (!slice.EndsWith(Suffix, StringComparison.Ordinal) || slice.Contains('/', StringComparison.Ordinal))
        {
            throw Errors.InvalidArgument($"invalid systemd slice \"{slice}\": must be a name ending in .slice");
        }

        string stem = slice[..^Suffix.Length];
        if (stem.Length == 0 || stem.StartsWith('-') || stem.EndsWith('-') || stem.Contains("--", StringComparison.Ordinal))
        {
            throw Errors.InvalidArgument($"invalid systemd slice \"{slice}\"");
        }

        var path = new System.Text.StringBuilder();
        string[] parts = stem.Split('-');
        for (int i = 0; i < parts.Length; i++)
        {
            path.Append('/').AppendJoin('-', parts[..(i + 1)]).Append(Suffix);
        }

        return path.ToString();
    }

    private static string FromSystemd(string slice, string prefix, string name)
    {
        if (name.Length == 0)
        {
            throw Errors.InvalidArgument("systemd cgroupsPath \"slice:prefix:name\" needs a name");
        }

        string parent = ExpandSlice(slice.Length == 0 ? "system.slice" : slice);

        // runc: a name that is itself a slice is used as the unit instead of a scope.
        string unit = name.EndsWith(".slice", StringComparison.Ordinal) ? name
            : prefix.Length == 0 ? $"{name}.scope"
            : $"{prefix}-{name}.scope";
        return $"{parent}/{unit}";
    }

    private static string Normalize(string path, string original)
    {
        var components = new List<string>();
        foreach (string component in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (component == "..")
            {
                throw Errors.InvalidArgument($"cgroup path \"{original}\" must not contain \"..\"");
            }

            if (component != ".")
            {
                components.Add(component);
            }
        }

        if (components.Count == 0)
        {
            throw Errors.InvalidArgument($"cgroup path \"{original}\" names the hierarchy root; a container needs its own cgroup");
        }

        return "/" + string.Join('/', components);
    }
}
