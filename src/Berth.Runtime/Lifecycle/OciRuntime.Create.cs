using System.Globalization;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Linux;
using Berth.Linux.Spawn;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Hooks;
using Berth.Runtime.Init;
using Berth.Runtime.Spec;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>
    /// Starts the init in new namespaces and a new cgroup, and returns once it has set the container up and
    /// blocked on the exec fifo. On any failure nothing is left behind: no process, cgroup or state.
    /// </summary>
    public StartedProcess Create(string id, string bundle, CreateOptions? options = null) => CreateContainer(id, bundle, options).Started;

    /// <summary><see cref="Create"/>, also returning the state it saved (for <c>run</c>, which goes on with it).</summary>
    private (StartedProcess Started, ContainerState State) CreateContainer(string id, string bundle, CreateOptions? options)
    {
        options ??= new CreateOptions();
        StateStore.ValidateId(id);
        if (store.Exists(id))
        {
            throw Errors.AlreadyExists($"container with id exists: {id}");
        }

        bundle = Path.GetFullPath(bundle);
        byte[] json = SpecLoader.Read(bundle);

        // On v1 the init is cloned as soon as its namespaces are known, so its start-up overlaps our parsing,
        // validation and cgroup work; a failure in any of those kills it like any later failure. Everything else
        // parses and validates first: on v2 the cgroup must exist (clone3 places the child straight into it), a
        // user namespace needs the id maps before the child may go on, and a namespace joined by path or of an
        // unknown type is reported by validation with the field it came from.
        List<SpecNamespace>? early = CgroupManagerFactory.IsUnified(cgroupRoot) ? null : SpecNamespacePrescan.TryRead(json);
        if (early is not null && !early.TrueForAll(IsPlainNamespace))
        {
            early = null;
        }

        RuntimeSpec? spec = early is null ? SpecLoader.Parse(json, bundle) : null;
        (SafeFd parentEnd, SafeFd childEnd) = FileDescriptors.CreateSocketPair();
        using var channel = new LineChannel(parentEnd);
        using SafeFd childEndOwned = childEnd; // the child's copy is its own once it is spawned
        store.Reserve(id);
        ICgroupManager? cgroup = null;
        SpawnedProcess? process = null;
        SafeFd? console = null;
        bool reaped = false;
        try
        {
            // 0622 whatever the umask: the init may have switched to the container's user when it opens it.
            FileDescriptors.MakeFifo(store.ExecFifoOf(id), 0x192);
            LinuxSyscalls.Instance.Chmod(store.ExecFifoOf(id), 0x192);
            if (spec is null)
            {
                process = SpawnInit(early!, null, null, childEnd, options);
                spec = SpecLoader.Parse(json, bundle);
            }

            string rootfs = SpecLoader.RootfsPath(spec, bundle);
            bool terminal = spec.Process!.Terminal;
            ConsoleHandoff.Validate(terminal, options);
            ProcessSetup.SeccompFilter? seccomp = ProcessSetup.CompileSeccomp(spec, SeccompCache);
            string cgroupPath = CgroupPaths.Resolve(spec.Linux?.CgroupsPath, id);
            cgroup = CgroupOf(cgroupPath);
            cgroup.Create();
            cgroup.Apply(ResourcesOf(spec.Linux?.Resources));
            process ??= SpawnInit(spec.Linux?.Namespaces ?? [], spec.Linux, cgroup, childEnd, options);
            childEnd.Dispose();

            // On v1 our cgroup.procs write takes the global cgroup threadgroup lock, whose first taking in a while
            // waits for an RCU grace period (longer than the init's whole setup). A thread moving itself through
            // `tasks` does not take it: when no hook needs the init in its cgroup first, the init moves itself.
            bool initMovesItself = early is not null && spec.Hooks?.Prestart is not { Count: > 0 } && spec.Hooks?.CreateRuntime is not { Count: > 0 };
            if (!initMovesItself)
            {
                cgroup.AddProcess(process.Pid);
            }

            // The namespaces and cgroup exist, nothing is mounted yet: where runc runs these (network setup).
            var creating = new OciState { Id = id, Status = "creating", Pid = process.Pid, Bundle = bundle, Annotations = spec.Annotations };
            HookRunner.RunAll("prestart", spec.Hooks?.Prestart, creating);
            HookRunner.RunAll("createRuntime", spec.Hooks?.CreateRuntime, creating);

            // The config.json bytes themselves, not a re-serialized spec: the init parses what we validated (less the
            // seccomp profile, which it receives compiled).
            var request = new InitRequest
            {
                ContainerId = id, Pid = process.Pid, Bundle = bundle, Rootfs = rootfs, Spec = SpecText.ForInit(json, dropSeccomp: seccomp is not null), Seccomp = seccomp,
                CgroupSelfMoveFiles = initMovesItself ? cgroup.SelfMoveFiles() : null,
            };
            using (SafeFd fifo = FileDescriptors.Open(store.ExecFifoOf(id), FileDescriptors.PathOnly))
            {
                Terminal.SendFd(channel.Fd, fifo, InitProcess.ExecFifoPayload);
            }

            channel.Send(request.ToJson());
            if (terminal)
            {
                // Sent before the reply (or a lone byte instead, when setup failed before the console step).
                console = Terminal.ReceiveFd(channel.Fd, InitProcess.ConsolePayload.Length);
            }

            string? line = channel.Receive();
            InitReply? reply = line is null ? null : InitReply.Parse(line);
            if (reply is not { Type: InitReply.ReadyType })
            {
                int status = Processes.WaitForExit(process.Pid);
                reaped = true;
                throw reply?.Message is not null
                    ? InitStepException.FromReply(reply)
                    : Errors.Internal($"container init exited with status {status} before it was ready");
            }

            var state = new ContainerState
            {
                Id = id,
                Pid = process.Pid,
                StartTime = ProcessStat.TryRead(process.Pid)?.StartTime ?? 0,
                Bundle = bundle,
                Rootfs = rootfs,
                Created = DateTimeOffset.UtcNow,
                CgroupPath = cgroupPath,
                Annotations = spec.Annotations,
                Hooks = spec.Hooks,
                Process = spec.Process,
                NamespaceTypes = [.. (spec.Linux?.Namespaces ?? []).Select(n => n.Type)],
                Seccomp = seccomp,
            };
            store.Save(state);
            console = ConsoleHandoff.Deliver(console, options);
            if (options.PidFile is not null)
            {
                WritePidFile(options.PidFile, process.Pid);
            }

            return (new StartedProcess(process, console), state);
        }
        catch
        {
            console?.Dispose();
            if (process is not null)
            {
                if (!reaped)
                {
                    _ = Processes.TrySignal(process.PidFd, Signals.SIGKILL);
                    _ = Processes.WaitForExit(process.Pid);
                }

                process.Dispose();
            }

            if (cgroup is not null)
            {
                DestroyCgroup(cgroup);
            }

            store.Remove(id);
            throw;
        }
    }

    /// <summary>
    /// Clones the init into new namespaces (or joins the listed ones) and execs it. <paramref name="linux"/> is
    /// needed only for a user namespace (its id maps), <paramref name="cgroup"/> only on v2 (clone3 into it).
    /// </summary>
    private SpawnedProcess SpawnInit(List<SpecNamespace> namespaces, SpecLinux? linux, ICgroupManager? cgroup, SafeFd childEnd, CreateOptions options)
    {
        (NamespaceFlags create, List<SafeFd> join, SafeFd? pidNamespace) = Namespaces(namespaces);
        try
        {
            using SafeFd? cgroupFd = cgroup?.OpenDirectoryForClone();
            bool userNamespace = (create & NamespaceFlags.User) != 0;
            var spawnOptions = new SpawnOptions
            {
                // A user namespace: the child waits until its id maps are written and it is in its cgroup,
                // then becomes root of the namespace before exec'ing the init (SPAWN.md pitfall 4).
                BeforeExec = userNamespace ? pid => { WriteIdMaps(pid, linux!); cgroup!.AddProcess(pid); } : null,
                SetRoot = userNamespace,
                Path = initBinary,
                Args = [initBinary, "init"],
                Environment = [$"{InitProcess.SyncFdVariable}={childEnd.Fd.ToString(CultureInfo.InvariantCulture)}"],
                Namespaces = create,
                KeepFd = childEnd,
                JoinNamespaces = join,
                CgroupFd = cgroupFd,
                Operations = options.Stdio is { } stdio ? [.. stdio.Operations()] : [],
            };
            return pidNamespace is null ? spawner.Spawn(spawnOptions) : SpawnInPidNamespace(pidNamespace, spawnOptions);
        }
        finally
        {
            join.ForEach(fd => fd.Dispose());
            pidNamespace?.Dispose();
        }
    }

    private static bool IsPlainNamespace(SpecNamespace ns) =>
        string.IsNullOrEmpty(ns.Path) && NamespaceTypes.TryParse(ns.Type, out NamespaceFlags flag) && flag != NamespaceFlags.User;

    /// <summary>
    /// New namespaces become clone flags; ones with a path are opened to be joined with setns (in the child, or
    /// for a pid namespace by the spawning thread, since setns there only places that thread's children).
    /// </summary>
    private static (NamespaceFlags Create, List<SafeFd> Join, SafeFd? Pid) Namespaces(List<SpecNamespace> namespaces)
    {
        NamespaceFlags create = NamespaceFlags.None;
        var join = new List<SafeFd>();
        SafeFd? pid = null;
        try
        {
            foreach (SpecNamespace ns in namespaces)
            {
                NamespaceFlags flag = NamespaceTypes.Parse(ns.Type);
                if (flag == NamespaceFlags.User && !string.IsNullOrEmpty(ns.Path))
                {
                    throw Errors.NotImplemented("linux.namespaces: joining a user namespace by path is not supported yet");
                }

                if (!string.IsNullOrEmpty(ns.Path))
                {
                    SafeFd fd = FileDescriptors.Open(ns.Path, FileDescriptors.ReadOnly);
                    if (flag == NamespaceFlags.Pid)
                    {
                        pid = fd;
                    }
                    else
                    {
                        join.Add(fd);
                    }
                }
                else if (flag != NamespaceFlags.Cgroup)
                {
                    // The cgroup namespace is unshared by the init once it is in its cgroup (SPAWN.md pitfall 10).
                    create |= flag;
                }
            }
        }
        catch
        {
            join.ForEach(fd => fd.Dispose());
            pid?.Dispose();
            throw;
        }

        return (create, join, pid);
    }

    /// <summary>uid_map and gid_map of the new user namespace, written by us (root), before the go-ahead.</summary>
    private static void WriteIdMaps(int pid, SpecLinux linux)
    {
        string proc = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}";
        LinuxSyscalls.Instance.WriteFile(proc + "/uid_map", MapText(linux.UidMappings));
        LinuxSyscalls.Instance.WriteFile(proc + "/gid_map", MapText(linux.GidMappings));
    }

    private static string MapText(List<SpecIdMapping>? mappings) =>
        string.Concat((mappings ?? []).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.ContainerId} {m.HostId} {m.Size}\n")));

    private static CgroupResources ResourcesOf(SpecResources? r)
    {
        return new CgroupResources
        {
            MemoryLimit = r?.Memory?.Limit,
            MemoryReservation = r?.Memory?.Reservation,
            MemorySwap = r?.Memory?.Swap,
            MemorySwappiness = r?.Memory?.Swappiness,
            DisableOomKiller = r?.Memory?.DisableOomKiller,
            CpuShares = r?.Cpu?.Shares,
            CpuQuota = r?.Cpu?.Quota,
            CpuPeriod = r?.Cpu?.Period,
            CpusetCpus = r?.Cpu?.Cpus,
            CpusetMems = r?.Cpu?.Mems,
            PidsLimit = r?.Pids?.Limit,
            Unified = r?.Unified,
        };
    }

    private static void WritePidFile(string path, int pid)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp");
        File.WriteAllText(temp, pid.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, full, overwrite: true);
    }
}
