using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Init;

public sealed partial class ContainerInit
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private void DropBoundingSet()
    {
        if (Process.Capabilities is not { } caps)
        {
            return;
        }

        ulong keep = Capabilities.ToMask(caps.Bounding, "process.capabilities.bounding");
        for (int cap = 0; cap < 64; cap++)
        {
            if ((keep & (1UL << cap)) == 0)
            {
                sys.DropBoundingCapability(cap);
            }
        }
    }

    private void BuildEnvironment()
    {
        List<string> env = Process.Env ?? [];
        if (env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
        {
            Environment = env;
            return;
        }

        string[] passwd = sys.Exists("/etc/passwd") ? sys.ReadLines("/etc/passwd") : [];
        Environment = [.. env, "HOME=" + (PasswdFile.HomeOf(passwd, Process.User.Uid) ?? "/")];
    }

    private void SwitchUser()
    {
        SpecUser user = Process.User;
        sys.SetGroups([.. (user.AdditionalGids ?? []).Select(g => (int)g)]);
        sys.SetResGid((int)user.Gid);
        sys.SetResUid((int)user.Uid);
    }

    private void ApplyCapabilities()
    {
        if (Process.Capabilities is not { } caps)
        {
            return;
        }

        ulong effective = Capabilities.ToMask(caps.Effective, "process.capabilities.effective");
        ulong permitted = Capabilities.ToMask(caps.Permitted, "process.capabilities.permitted");
        ulong inheritable = Capabilities.ToMask(caps.Inheritable, "process.capabilities.inheritable");
        ulong ambient = Capabilities.ToMask(caps.Ambient, "process.capabilities.ambient");
        sys.SetCapabilities(effective, permitted, inheritable);
        sys.ClearAmbientCapabilities();
        for (int cap = 0; cap < 64; cap++)
        {
            if ((ambient & (1UL << cap)) == 0)
            {
                continue;
            }

            try
            {
                sys.RaiseAmbientCapability(cap);
            }
            catch (LinuxException ex) when (ex.Errno == Errno.EPERM)
            {
                // The kernel allows an ambient cap only if it is also permitted and inheritable; runc warns
                // and carries on, and bundles written for runc (its own `spec`) rely on that.
            }
        }

        sys.SetKeepCaps(false);
    }

    private void SetNoNewPrivileges()
    {
        if (Process.NoNewPrivileges)
        {
            sys.SetNoNewPrivileges();
        }
    }

    /// <summary>Finds process.args[0] now, so a missing binary fails <c>create</c> rather than <c>start</c>.</summary>
    private void ResolveExecutable()
    {
        string name = Process.Args.FirstOrDefault() ?? throw Errors.InvalidArgument("config.json: process.args must not be empty");
        if (name.Contains('/', StringComparison.Ordinal))
        {
            Executable = sys.Exists(name) ? name : throw Errors.NotFound($"exec: \"{name}\": no such file or directory");
            return;
        }

        string path = Process.Env?.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
        foreach (string dir in path.Split(':'))
        {
            string candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (sys.CanExecute(candidate))
            {
                Executable = candidate;
                return;
            }
        }

        throw Errors.NotFound($"exec: \"{name}\": executable file not found in $PATH");
    }
}
