using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Hooks;
using Berth.Runtime.Spec;
using Berth.Runtime.State;

namespace Berth.Runtime.Init;

/// <summary>
/// The container's init: our own binary, already inside the new namespaces, preparing the container in an
/// ordered list of named steps (ARCHITECTURE.md §3, SPAWN.md §7) and finally exec'ing the container's process.
/// Every step runs on the main thread, which is the thread that execs: credentials, capabilities and
/// no_new_privs are per-thread and only the exec'ing thread's survive.
/// </summary>
/// <param name="joinCgroup">
/// Moves us into the container's cgroup, when the runtime left that to us (see
/// <see cref="InitRequest.CgroupSelfMoveFiles"/>); the setup that does not need the cgroup runs before it. Null when
/// we are in it already.
/// </param>
public sealed partial class ContainerInit(ISyscalls sys, InitRequest request, RuntimeSpec spec, Action<SafeFd>? sendConsole = null, Action? joinCgroup = null)
{
    private bool _inCgroup;
    private RuntimeSpec Spec => spec;

    private SpecProcess Process => spec.Process ?? throw Errors.InvalidArgument("config.json: process is missing");

    private string Rootfs => request.Rootfs;

    /// <summary>The steps up to "ready", in order. Each name is what an error report carries.</summary>
    public IReadOnlyList<(string Name, Action Run)> SetupSteps() =>
    [
        // Files created during setup get exactly the modes asked for; the process's umask is set later.
        ("umask-setup", () => sys.SetUmask(0)),
        ("rootfs-propagation", PrepareRootPropagation),
        ("rootfs-bind", () => sys.Mount(Rootfs, Rootfs, null, MountFlags.Bind | MountFlags.Recursive, null)),
        ("mounts", MountAll),
        ("devices", CreateDevices),
        ("cgroup", JoinCgroup),
        ("createContainer-hooks", () => HookRunner.RunAll("createContainer", Spec.Hooks?.CreateContainer, HookState("created"))),
        ("pivot-root", () => sys.PivotRoot(Rootfs)),
        ("console", SetUpConsole),
        ("hostname", SetHostnames),
        ("sysctl", ApplySysctls),
        ("readonly-paths", MakeReadonlyPaths),
        ("masked-paths", MaskPaths),
        ("rootfs-readonly", MakeRootReadonly),
        ("oom-score-adj", SetOomScoreAdj),
        ("environment", BuildEnvironment),
        ("credentials", SwitchCredentials),
        ("exec-lookup", ResolveExecutable),
    ];

    /// <summary>The executable found by the "exec-lookup" step.</summary>
    public string? Executable { get; private set; }

    /// <summary>process.env, plus HOME from the container's /etc/passwd when the bundle sets none (as runc does).</summary>
    public IReadOnlyList<string> Environment { get; private set; } = [];

    /// <summary>Runs every setup step, turning a failure into an <see cref="InitStepException"/> naming the step.</summary>
    public void Setup()
    {
        foreach ((string name, Action run) in SetupSteps())
        {
            RunStep(name, run);
        }
    }

    private static void RunStep(string name, Action run)
    {
        try
        {
            run();
        }
        catch (InitStepException)
        {
            throw;
        }
        catch (LinuxException ex)
        {
            throw new InitStepException(name, ex.Message, ex.Kind, (int)ex.Errno);
        }
        catch (BerthException ex)
        {
            throw new InitStepException(name, ex.Message, ex.Kind);
        }
    }

    /// <summary>The state hooks run from the init receive.</summary>
    public OciState HookState(string status) => new()
    {
        Id = request.ContainerId, Status = status, Pid = request.Pid, Bundle = request.Bundle, Annotations = Spec.Annotations,
    };

    private bool HasNewNamespace(string type) =>
        Spec.Linux?.Namespaces?.Any(n => n.Type == type && string.IsNullOrEmpty(n.Path)) == true;

    /// <summary>
    /// Waits (once) until we are in the container's cgroup, then unshares the cgroup namespace: only now, so it is
    /// rooted there (CLONE_NEWCGROUP at clone time would root it at the runtime's own cgroup; SPAWN.md pitfall 10).
    /// </summary>
    private void EnterCgroup()
    {
        if (_inCgroup)
        {
            return;
        }

        joinCgroup?.Invoke();
        if (HasNewNamespace("cgroup"))
        {
            sys.Unshare(NamespaceFlags.Cgroup);
        }

        _inCgroup = true;
    }

    /// <summary>In the cgroup from here on; the cgroup filesystems that could wait for it are mounted now.</summary>
    private void JoinCgroup()
    {
        EnterCgroup();
        _deferredCgroupMounts.ForEach(MountNamed);
    }

    private void PrepareRootPropagation()
    {
        // Nothing mounted for the container may propagate back to the host: everything becomes a slave
        // unless the bundle asks for another propagation of the root.
        MountFlags propagation = MountFlags.Slave | MountFlags.Recursive;
        if (!string.IsNullOrEmpty(Spec.Linux?.RootfsPropagation))
        {
            propagation = MountOptions.Parse([Spec.Linux.RootfsPropagation]).Propagation;
        }

        sys.Mount(null, "/", null, propagation, null);
    }

    private void SetHostnames()
    {
        if (Spec.Hostname is { Length: > 0 } hostname)
        {
            sys.SetHostname(hostname);
        }

        if (Spec.Domainname is { Length: > 0 } domainname)
        {
            sys.SetDomainname(domainname);
        }
    }

    private void ApplySysctls()
    {
        foreach ((string key, string value) in Spec.Linux?.Sysctl ?? [])
        {
            if (key.Length == 0 || key.Contains('/', StringComparison.Ordinal) || key.Split('.').Any(p => p is "" or ".."))
            {
                throw Errors.InvalidArgument($"linux.sysctl: invalid key \"{key}\"");
            }

            sys.WriteFile("/proc/sys/" + key.Replace('.', '/'), value);
        }
    }

    private void SetOomScoreAdj()
    {
        if (Process.OomScoreAdj is int adj)
        {
            sys.WriteFile("/proc/self/oom_score_adj", adj.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
