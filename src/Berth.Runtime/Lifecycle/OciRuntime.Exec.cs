using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Linux.Spawn;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Init;
using Berth.Runtime.Spec;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>
    /// Starts a process inside a running container: the spawn stub joins each of the container's namespaces,
    /// the process is put in its cgroup, and the stub makes the credential switch (the same syscalls the init
    /// makes for the container's first process) before exec'ing the target. No runtime code runs in the child,
    /// so nothing needs a single-threaded process or our binary inside the container.
    /// Returns the exit status when attached, 0 when detached.
    /// </summary>
    public int Exec(string id, ExecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using StartedProcess started = StartExec(id, options);
        return options.Detach ? 0 : ForegroundProcess.Wait(started.Process, started.Console);
    }

    /// <summary>
    /// Starts the exec'd process and returns it (a caller's own child, to wait for), with its pty master unless
    /// that went to the console socket: a shim bridges the terminal and stdio itself.
    /// </summary>
    public StartedProcess StartExec(string id, ExecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ContainerState state = store.Load(id);
        switch (StatusOf(state))
        {
            case ContainerStatus.Stopped:
                throw Errors.FailedPrecondition("cannot exec in a stopped container");
            case ContainerStatus.Paused:
                throw Errors.FailedPrecondition("cannot exec in a paused container");
        }

        SpecProcess process = options.Process(state.Process ?? throw Errors.Internal($"container {id}: state has no process"));
        var handoff = new CreateOptions { ConsoleSocket = options.ConsoleSocket, Foreground = !options.Detach, PidFile = options.PidFile };
        ConsoleHandoff.Validate(process.Terminal, handoff);

        // Looked up from outside, through the init's root: the target must exist before anything starts.
        string root = $"/proc/{state.Pid.ToString(CultureInfo.InvariantCulture)}/root";
        string executable = ProcessSetup.ResolveExecutable(process, p => Path.Exists(root + p), p => Processes.IsExecutable(root + p));
        IReadOnlyList<string> environment = ProcessSetup.Environment(process,
            () => File.Exists(root + "/etc/passwd") ? File.ReadAllLines(root + "/etc/passwd") : []);

        (List<SafeFd> join, SafeFd? pidNamespace) = OpenNamespaces(state.Pid, state.NamespaceTypes ?? []);
        SafeFd? master = null, slave = null;
        try
        {
            var ops = new List<SpawnOp>();
            if (process.Terminal)
            {
                (master, slave, _) = Terminal.OpenPty(root + "/dev/ptmx", root + "/dev/pts");
                if (process.ConsoleSize is { } size)
                {
                    Terminal.SetSize(slave, (ushort)size.Height, (ushort)size.Width);
                }

                ops.Add(SpawnOps.NewSession());
                ops.Add(SpawnOps.SetControllingTerminal(slave.Fd));
                ops.AddRange(Enumerable.Range(0, 3).Select(target => SpawnOps.Dup2(slave.Fd, target)));
            }
            else if (options.Stdio is { } stdio)
            {
                ops.AddRange(stdio.Operations());
            }

            ops.AddRange(ProcessSetup.CredentialOps(process, state.Seccomp));
            ICgroupManager cgroup = CgroupOf(state);
            var spawn = new SpawnOptions
            {
                Path = executable,
                Args = process.Args,
                Environment = environment,
                JoinNamespaces = join,
                Operations = ops,
                BeforeExec = cgroup.AddProcess,
            };
            SpawnedProcess child = pidNamespace is null ? spawner.Spawn(spawn) : SpawnInPidNamespace(pidNamespace, spawn);
            slave?.Dispose();
            slave = null;
            try
            {
                master = ConsoleHandoff.Deliver(master, handoff);
                if (options.PidFile is not null)
                {
                    WritePidFile(options.PidFile, child.Pid);
                }
            }
            catch
            {
                child.Dispose();
                throw;
            }

            var started = new StartedProcess(child, master);
            master = null;
            return started;
        }
        finally
        {
            slave?.Dispose();
            master?.Dispose();
            pidNamespace?.Dispose();
            join.ForEach(fd => fd.Dispose());
        }
    }

    /// <summary>The container's namespaces, from its init; the pid namespace apart (joined by the spawning thread).</summary>
    private static (List<SafeFd> Join, SafeFd? Pid) OpenNamespaces(int pid, IReadOnlyList<string> namespaceTypes)
    {
        var join = new List<SafeFd>();
        SafeFd? pidNamespace = null;
        try
        {
            foreach (string name in namespaceTypes)
            {
                NamespaceFlags type = NamespaceTypes.Parse(name);
                SafeFd fd = FileDescriptors.Open($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/{ProcName(type)}", FileDescriptors.ReadOnly);
                if (type == NamespaceFlags.Pid)
                {
                    pidNamespace = fd;
                }
                else
                {
                    join.Add(fd);
                }
            }
        }
        catch
        {
            join.ForEach(fd => fd.Dispose());
            pidNamespace?.Dispose();
            throw;
        }

        return (join, pidNamespace);
    }

    private static string ProcName(NamespaceFlags type) => type switch
    {
        NamespaceFlags.Network => "net",
        NamespaceFlags.Mount => "mnt",
        NamespaceFlags.Pid => "pid",
        NamespaceFlags.Ipc => "ipc",
        NamespaceFlags.Uts => "uts",
        NamespaceFlags.User => "user",
        NamespaceFlags.Cgroup => "cgroup",
        NamespaceFlags.Time => "time",
        _ => throw Errors.InvalidArgument($"namespace {type}"),
    };

    /// <summary>
    /// setns(CLONE_NEWPID) only decides where the calling thread's children are born, so the spawn happens on a
    /// thread of its own that joins first (and is discarded: it may no longer create threads).
    /// </summary>
    private SpawnedProcess SpawnInPidNamespace(SafeFd pidNamespace, SpawnOptions spawn)
    {
        SpawnedProcess? child = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Processes.JoinNamespace(pidNamespace, NamespaceFlags.Pid);
                child = spawner.Spawn(spawn);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return child!;
    }
}
