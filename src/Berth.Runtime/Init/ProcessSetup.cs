using System.Text.Json;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Linux.Spawn;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Init;

/// <summary>
/// What turns a process of the runtime spec into the container's process, shared by the init (which makes
/// these calls itself) and exec (where the spawn stub makes them in the child): rlimits, the credential
/// switch, capabilities, no_new_privs and seccomp, the environment, and the executable's path.
/// </summary>
public static class ProcessSetup
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>A compiled seccomp filter with its flags.</summary>
    public sealed record SeccompFilter(byte[] Program, uint Flags)
    {
        /// <summary>As the serializer writes it (the program in base64), in the init request and in state.json.</summary>
        internal void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> name)
        {
            writer.WriteStartObject(name);
            if (Program is not null)
            {
                writer.WriteBase64String("program"u8, Program);
            }

            writer.WriteNumber("flags"u8, Flags);
            writer.WriteEndObject();
        }
    }

    /// <summary>Compiles linux.seccomp once, in the runtime (through <paramref name="cache"/> when given); null when the bundle has none.</summary>
    internal static SeccompFilter? CompileSeccomp(RuntimeSpec spec, Seccomp.SeccompCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Linux?.Seccomp is { } profile
            ? new SeccompFilter(cache?.Compile(profile) ?? Seccomp.SeccompCompiler.Compile(profile), Seccomp.SeccompCompiler.FilterFlags(profile))
            : null;
    }

    /// <summary>
    /// The syscalls, in runc's order: rlimits, bounding set, keep-caps, groups and ids, cwd, umask, capability
    /// sets, ambient, no_new_privs. Seccomp comes last when no_new_privs is set; otherwise first, while the
    /// capabilities to install a filter without no_new_privs are still held.
    /// </summary>
    public static IReadOnlyList<SpawnOp> CredentialOps(SpecProcess process, SeccompFilter? seccomp)
    {
        ArgumentNullException.ThrowIfNull(process);
        var ops = new List<SpawnOp>();
        if (seccomp is not null && !process.NoNewPrivileges)
        {
            ops.Add(SpawnOps.Seccomp(seccomp.Program, seccomp.Flags));
        }

        foreach (SpecRlimit limit in process.Rlimits ?? [])
        {
            ops.Add(SpawnOps.SetResourceLimit(Rlimits.ToResourceLimit(limit)));
        }

        SpecCapabilities? caps = process.Capabilities;
        if (caps is not null)
        {
            ulong bounding = Capabilities.ToMask(caps.Bounding, "process.capabilities.bounding");
            for (int cap = 0; cap <= Capabilities.Last; cap++)
            {
                if ((bounding & (1UL << cap)) == 0)
                {
                    ops.Add(SpawnOps.DropBoundingCapability(cap));
                }
            }

            ops.Add(SpawnOps.KeepCaps(true));
        }

        SpecUser user = process.User;
        ops.Add(SpawnOps.SetGroups([.. (user.AdditionalGids ?? []).Select(g => (int)g)]));
        ops.Add(SpawnOps.SetResGid((int)user.Gid));
        ops.Add(SpawnOps.SetResUid((int)user.Uid));
        ops.Add(SpawnOps.ChangeDirectory(process.Cwd));
        ops.Add(SpawnOps.Umask((int)(user.Umask ?? 0x12 /* 022 */)));
        if (caps is not null)
        {
            ops.Add(SpawnOps.SetCapabilities(
                Capabilities.ToMask(caps.Effective, "process.capabilities.effective"),
                Capabilities.ToMask(caps.Permitted, "process.capabilities.permitted"),
                Capabilities.ToMask(caps.Inheritable, "process.capabilities.inheritable")));
            ops.Add(SpawnOps.ClearAmbient());
            ulong ambient = Capabilities.ToMask(caps.Ambient, "process.capabilities.ambient");
            for (int cap = 0; cap <= Capabilities.Last; cap++)
            {
                if ((ambient & (1UL << cap)) != 0)
                {
                    ops.Add(SpawnOps.RaiseAmbient(cap));
                }
            }
        }

        if (process.NoNewPrivileges)
        {
            ops.Add(SpawnOps.NoNewPrivileges());
            if (seccomp is not null)
            {
                ops.Add(SpawnOps.Seccomp(seccomp.Program, seccomp.Flags));
            }
        }

        return ops;
    }

    /// <summary>process.env, plus HOME from the container's /etc/passwd when none is set (as runc does).</summary>
    public static IReadOnlyList<string> Environment(SpecProcess process, Func<string[]> readPasswd)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(readPasswd);
        List<string> env = process.Env ?? [];
        return env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal))
            ? env
            : [.. env, "HOME=" + (PasswdFile.HomeOf(readPasswd(), process.User.Uid) ?? "/")];
    }

    /// <summary>
    /// Finds process.args[0] through the process's PATH. <paramref name="canExecute"/> gets container paths
    /// (the caller maps them to the host when it looks from outside).
    /// </summary>
    public static string ResolveExecutable(SpecProcess process, Func<string, bool> exists, Func<string, bool> canExecute)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(exists);
        ArgumentNullException.ThrowIfNull(canExecute);
        string name = process.Args.FirstOrDefault() ?? throw Errors.InvalidArgument("config.json: process.args must not be empty");
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return exists(name) ? name : throw Errors.NotFound($"exec: \"{name}\": stat {name}: no such file or directory");
        }

        string path = process.Env?.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
        foreach (string dir in path.Split(':'))
        {
            string candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (canExecute(candidate))
            {
                return candidate;
            }
        }

        throw Errors.NotFound($"exec: \"{name}\": executable file not found in $PATH");
    }
}
