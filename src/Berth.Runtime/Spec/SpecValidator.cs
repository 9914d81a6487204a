using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Runtime.Spec;

/// <summary>
/// The checks behind <see cref="SpecLoader.Validate"/>. Messages name the field without the "config.json: "
/// prefix, which the loader adds. Order follows the document, so the first error reported is the first one a
/// reader meets in the file.
/// </summary>
internal static class SpecValidator
{
    private static readonly string[] PropagationModes =
        ["private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable"];

    public static void Validate(RuntimeSpec spec, string bundleDir)
    {
        ValidateVersion(spec.OciVersion);
        ValidateRoot(spec, bundleDir);
        ValidateProcess(spec.Process);
        ValidateMounts(spec.Mounts);
        ValidateHooks(spec.Hooks);
        NamespaceFlags namespaces = ValidateNamespaces(spec.Linux?.Namespaces);

        // runc refuses these: without a private UTS namespace the name would be set on the host (or fail).
        if (!string.IsNullOrEmpty(spec.Hostname) && (namespaces & NamespaceFlags.Uts) == 0)
        {
            throw Errors.InvalidArgument("hostname is set but there is no new uts namespace");
        }

        if (!string.IsNullOrEmpty(spec.Domainname) && (namespaces & NamespaceFlags.Uts) == 0)
        {
            throw Errors.InvalidArgument("domainname is set but there is no new uts namespace");
        }

        if (spec.Linux is { } linux)
        {
            ValidateLinux(linux, namespaces);
        }
    }

    private static void ValidateVersion(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            throw Errors.InvalidArgument("ociVersion must be set");
        }

        // Within a major version the spec only adds fields, and unknown fields are ignored, so any 1.x is readable.
        if (!version.StartsWith("1.", StringComparison.Ordinal))
        {
            throw Errors.InvalidArgument($"ociVersion \"{version}\" is not supported (this runtime reads 1.x)");
        }
    }

    private static void ValidateRoot(RuntimeSpec spec, string bundleDir)
    {
        if (spec.Root is null)
        {
            throw Errors.InvalidArgument("root must be set");
        }

        if (string.IsNullOrEmpty(spec.Root.Path))
        {
            throw Errors.InvalidArgument("root.path must not be empty");
        }

        string resolved = SpecLoader.RootfsPath(spec, bundleDir);
        if (!Directory.Exists(resolved))
        {
            string problem = File.Exists(resolved) ? "is not a directory" : "does not exist";
            throw Errors.InvalidArgument($"root.path \"{spec.Root.Path}\" {problem} (resolved to \"{resolved}\")");
        }
    }

    private static void ValidateProcess(SpecProcess? process)
    {
        // The spec makes process optional (for `create` without start), but runc and we need it to start anything.
        if (process is null)
        {
            throw Errors.InvalidArgument("process must be set");
        }

        if (process.Args is not { Count: > 0 })
        {
            throw Errors.InvalidArgument("process.args must not be empty");
        }

        if (string.IsNullOrEmpty(process.Cwd) || !process.Cwd.StartsWith('/'))
        {
            throw Errors.InvalidArgument($"process.cwd must be an absolute path, got \"{process.Cwd}\"");
        }

        if (process.Env is { } env)
        {
            for (int i = 0; i < env.Count; i++)
            {
                if (env[i] is null || !env[i].Contains('=', StringComparison.Ordinal))
                {
                    throw Errors.InvalidArgument($"process.env[{i}] \"{env[i]}\" must have the form KEY=value");
                }
            }
        }

        if (process.Capabilities is { } caps)
        {
            Capabilities.ToMask(caps.Bounding, "process.capabilities.bounding");
            Capabilities.ToMask(caps.Effective, "process.capabilities.effective");
            Capabilities.ToMask(caps.Inheritable, "process.capabilities.inheritable");
            Capabilities.ToMask(caps.Permitted, "process.capabilities.permitted");
            Capabilities.ToMask(caps.Ambient, "process.capabilities.ambient");
        }

        if (process.Rlimits is { } rlimits)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < rlimits.Count; i++)
            {
                SpecRlimit rlimit = rlimits[i];
                try
                {
                    Rlimits.Number(rlimit.Type);
                }
                catch (BerthException ex)
                {
                    throw Errors.InvalidArgument($"process.rlimits[{i}].type: {ex.Message}");
                }

                if (!seen.Add(rlimit.Type))
                {
                    throw Errors.InvalidArgument($"process.rlimits[{i}].type: duplicate rlimit \"{rlimit.Type}\"");
                }

                if (rlimit.Soft > rlimit.Hard)
                {
                    throw Errors.InvalidArgument(
                        $"process.rlimits[{i}]: soft limit {rlimit.Soft} of {rlimit.Type} is greater than hard limit {rlimit.Hard}");
                }
            }
        }
    }

    private static void ValidateMounts(List<SpecMount>? mounts)
    {
        if (mounts is null)
        {
            return;
        }

        for (int i = 0; i < mounts.Count; i++)
        {
            // runc still accepts relative destinations with a warning for old configs; we don't guess.
            if (mounts[i].Destination is not { } destination || !destination.StartsWith('/'))
            {
                throw Errors.InvalidArgument($"mounts[{i}].destination must be absolute, got \"{mounts[i].Destination}\"");
            }
        }
    }

    private static void ValidateHooks(SpecHooks? hooks)
    {
        if (hooks is null)
        {
            return;
        }

        ValidateHookList(hooks.Prestart, "prestart");
        ValidateHookList(hooks.CreateRuntime, "createRuntime");
        ValidateHookList(hooks.CreateContainer, "createContainer");
        ValidateHookList(hooks.StartContainer, "startContainer");
        ValidateHookList(hooks.Poststart, "poststart");
        ValidateHookList(hooks.Poststop, "poststop");
    }

    private static void ValidateHookList(List<SpecHook>? hooks, string name)
    {
        if (hooks is null)
        {
            return;
        }

        for (int i = 0; i < hooks.Count; i++)
        {
            if (hooks[i].Path is not { } path || !path.StartsWith('/'))
            {
                throw Errors.InvalidArgument($"hooks.{name}[{i}].path must be absolute, got \"{hooks[i].Path}\"");
            }

            if (hooks[i].Timeout is <= 0)
            {
                throw Errors.InvalidArgument($"hooks.{name}[{i}].timeout must be greater than zero");
            }
        }
    }

    private static NamespaceFlags ValidateNamespaces(List<SpecNamespace>? namespaces)
    {
        NamespaceFlags all = NamespaceFlags.None;
        if (namespaces is null)
        {
            return all;
        }

        for (int i = 0; i < namespaces.Count; i++)
        {
            SpecNamespace ns = namespaces[i];
            if (!NamespaceTypes.TryParse(ns.Type, out NamespaceFlags flag))
            {
                throw Errors.InvalidArgument(
                    $"linux.namespaces[{i}].type \"{ns.Type}\" is not a namespace type ({NamespaceTypes.Known})");
            }

            if ((all & flag) != 0)
            {
                throw Errors.InvalidArgument($"linux.namespaces[{i}].type: duplicate namespace type \"{ns.Type}\"");
            }

            if (!string.IsNullOrEmpty(ns.Path) && !ns.Path.StartsWith('/'))
            {
                throw Errors.InvalidArgument($"linux.namespaces[{i}].path must be absolute, got \"{ns.Path}\"");
            }

            all |= flag;
        }

        return all;
    }

    private static void ValidateLinux(SpecLinux linux, NamespaceFlags namespaces)
    {
        bool hasMappings = linux.UidMappings is { Count: > 0 } || linux.GidMappings is { Count: > 0 };
        if (hasMappings && (namespaces & NamespaceFlags.User) == 0)
        {
            throw Errors.InvalidArgument("linux.uidMappings/gidMappings are set but there is no user namespace");
        }

        bool newUserNamespace = (namespaces & NamespaceFlags.User) != 0
            && linux.Namespaces?.Any(n => n.Type == "user" && string.IsNullOrEmpty(n.Path)) == true;
        if (newUserNamespace && (linux.UidMappings is not { Count: > 0 } || linux.GidMappings is not { Count: > 0 }))
        {
            throw Errors.InvalidArgument("a new user namespace needs linux.uidMappings and linux.gidMappings");
        }

        ValidateIdMappings(linux.UidMappings, "linux.uidMappings");
        ValidateIdMappings(linux.GidMappings, "linux.gidMappings");

        if (linux.Devices is { } devices)
        {
            for (int i = 0; i < devices.Count; i++)
            {
                if (devices[i].Type is not ("c" or "b" or "u" or "p"))
                {
                    throw Errors.InvalidArgument($"linux.devices[{i}].type must be c, b, u or p, got \"{devices[i].Type}\"");
                }

                if (devices[i].Path is not { } path || !path.StartsWith('/'))
                {
                    throw Errors.InvalidArgument($"linux.devices[{i}].path must be absolute, got \"{devices[i].Path}\"");
                }
            }
        }

        if (linux.Resources?.Devices is { } rules)
        {
            for (int i = 0; i < rules.Count; i++)
            {
                if (rules[i].Type is not (null or "" or "a" or "c" or "b"))
                {
                    throw Errors.InvalidArgument($"linux.resources.devices[{i}].type must be a, c or b, got \"{rules[i].Type}\"");
                }

                if (rules[i].Access is { } access && access.AsSpan().IndexOfAnyExcept("rwm") >= 0)
                {
                    throw Errors.InvalidArgument(
                        $"linux.resources.devices[{i}].access \"{access}\" may only contain r, w and m");
                }
            }
        }

        if (!string.IsNullOrEmpty(linux.RootfsPropagation) && Array.IndexOf(PropagationModes, linux.RootfsPropagation) < 0)
        {
            throw Errors.InvalidArgument(
                $"linux.rootfsPropagation \"{linux.RootfsPropagation}\" is not one of {string.Join(", ", PropagationModes)}");
        }

        ValidatePathList(linux.MaskedPaths, "linux.maskedPaths");
        ValidatePathList(linux.ReadonlyPaths, "linux.readonlyPaths");
    }

    /// <summary>The kernel's rules for uid_map/gid_map: non-empty ranges within 32 bits that overlap on neither side.</summary>
    private static void ValidateIdMappings(List<SpecIdMapping>? mappings, string field)
    {
        if (mappings is null)
        {
            return;
        }

        if (mappings.Count > 340)
        {
            throw Errors.InvalidArgument($"{field}: at most 340 ranges are allowed, got {mappings.Count}");
        }

        for (int i = 0; i < mappings.Count; i++)
        {
            SpecIdMapping m = mappings[i];
            if (m.Size == 0)
            {
                throw Errors.InvalidArgument($"{field}[{i}].size must be at least 1");
            }

            if ((ulong)m.ContainerId + m.Size > 1UL << 32 || (ulong)m.HostId + m.Size > 1UL << 32)
            {
                throw Errors.InvalidArgument($"{field}[{i}]: the range {m.ContainerId}+{m.Size} (host {m.HostId}) exceeds the 32-bit id range");
            }

            for (int j = 0; j < i; j++)
            {
                SpecIdMapping o = mappings[j];
                if (Overlaps(m.ContainerId, o.ContainerId, m.Size, o.Size) || Overlaps(m.HostId, o.HostId, m.Size, o.Size))
                {
                    throw Errors.InvalidArgument($"{field}[{i}] overlaps {field}[{j}]");
                }
            }
        }
    }

    private static bool Overlaps(uint a, uint b, uint sizeA, uint sizeB) =>
        (ulong)a < (ulong)b + sizeB && (ulong)b < (ulong)a + sizeA;

    private static void ValidatePathList(List<string>? paths, string field)
    {
        if (paths is null)
        {
            return;
        }

        for (int i = 0; i < paths.Count; i++)
        {
            if (paths[i] is not { } path || !path.StartsWith('/'))
            {
                throw Errors.InvalidArgument($"{field}[{i}] must be absolute, got \"{paths[i]}\"");
            }
        }
    }
}
