using System.CommandLine;
using Berth.Api;
using Berth.Api.Containers;

namespace Berth.Cli.Commands.Container;

/// <summary>The flags `run` and `create` share (docker's cli/command/container/opts.go) and their mapping to the create body.</summary>
internal sealed class ContainerOptions
{
    public Option<bool> Interactive { get; } = new("--interactive", "-i") { Description = "Keep STDIN open even if not attached" };
    public Option<bool> Tty { get; } = new("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
    public Option<bool> Remove { get; } = new("--rm") { Description = "Automatically remove the container and its associated anonymous volumes when it exits" };
    public Option<string?> Name { get; } = new("--name") { Description = "Assign a name to the container" };
    public Option<string[]> Env { get; } = new("--env", "-e") { Description = "Set environment variables" };
    public Option<string[]> EnvFile { get; } = new("--env-file") { Description = "Read in a file of environment variables" };
    public Option<string?> Workdir { get; } = new("--workdir", "-w") { Description = "Working directory inside the container" };
    public Option<string?> User { get; } = new("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
    public Option<string[]> Volume { get; } = new("--volume", "-v") { Description = "Bind mount a volume" };
    public Option<string[]> Mount { get; } = new("--mount") { Description = "Attach a filesystem mount to the container" };
    public Option<string[]> Tmpfs { get; } = new("--tmpfs") { Description = "Mount a tmpfs directory" };
    public Option<string[]> Publish { get; } = new("--publish", "-p") { Description = "Publish a container's port(s) to the host" };
    public Option<string?> Memory { get; } = new("--memory", "-m") { Description = "Memory limit" };
    public Option<string?> MemorySwap { get; } = new("--memory-swap") { Description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" };
    public Option<string?> Cpus { get; } = new("--cpus") { Description = "Number of CPUs" };
    public Option<long?> CpuShares { get; } = new("--cpu-shares", "-c") { Description = "CPU shares (relative weight)" };
    public Option<long?> CpuQuota { get; } = new("--cpu-quota") { Description = "Limit CPU CFS (Completely Fair Scheduler) quota" };
    public Option<long?> CpuPeriod { get; } = new("--cpu-period") { Description = "Limit CPU CFS (Completely Fair Scheduler) period" };
    public Option<string?> CpusetCpus { get; } = new("--cpuset-cpus") { Description = "CPUs in which to allow execution (0-3, 0,1)" };
    public Option<long?> PidsLimit { get; } = new("--pids-limit") { Description = "Tune container pids limit (set -1 for unlimited)" };
    public Option<string[]> Ulimit { get; } = new("--ulimit") { Description = "Ulimit options" };
    public Option<string[]> CapAdd { get; } = new("--cap-add") { Description = "Add Linux capabilities" };
    public Option<string[]> CapDrop { get; } = new("--cap-drop") { Description = "Drop Linux capabilities" };
    public Option<bool> Privileged { get; } = new("--privileged") { Description = "Give extended privileges to this container" };
    public Option<bool> ReadOnly { get; } = new("--read-only") { Description = "Mount the container's root filesystem as read only" };
    public Option<string[]> SecurityOpt { get; } = new("--security-opt") { Description = "Security Options" };
    public Option<string?> Entrypoint { get; } = new("--entrypoint") { Description = "Overwrite the default ENTRYPOINT of the image" };
    public Option<string?> Restart { get; } = new("--restart") { Description = "Restart policy to apply when a container exits" };
    public Option<bool> Init { get; } = new("--init") { Description = "Run an init inside the container that forwards signals and reaps processes" };
    public Option<string?> Network { get; } = new("--network", "--net") { Description = "Connect a container to a network" };
    public Option<string?> Hostname { get; } = new("--hostname") { Description = "Container host name" };
    public Option<string[]> Label { get; } = new("--label", "-l") { Description = "Set meta data on a container" };
    public Option<string?> Platform { get; } = new("--platform") { Description = "Set platform if server is multi-platform capable" };
    public Option<string> Pull { get; } = new("--pull") { Description = "Pull image before running (\"always\", \"missing\", \"never\")", DefaultValueFactory = _ => "missing" };
    public Option<string?> StopSignal { get; } = new("--stop-signal") { Description = "Signal to stop the container" };
    public Option<int?> StopTimeout { get; } = new("--stop-timeout") { Description = "Timeout (in seconds) to stop a container" };
    public Option<bool> OomKillDisable { get; } = new("--oom-kill-disable") { Description = "Disable OOM Killer" };
    public Option<string?> DetachKeys { get; } = new("--detach-keys") { Description = "Override the key sequence for detaching a container" };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Suppress the pull output" };

    public Argument<string> Image { get; } = new("IMAGE");
    public Argument<string[]> Command { get; } = new("COMMAND") { Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
        {
            Interactive, Tty, Remove, Name, Env, EnvFile, Workdir, User, Volume, Mount, Tmpfs, Publish, Memory, MemorySwap,
            Cpus, CpuShares, CpuQuota, CpuPeriod, CpusetCpus, PidsLimit, Ulimit, CapAdd, CapDrop, Privileged, ReadOnly,
            SecurityOpt, Entrypoint, Restart, Init, Network, Hostname, Label, Platform, Pull, StopSignal, StopTimeout,
            OomKillDisable, DetachKeys, Quiet,
        })
        {
            command.Add(option);
        }

        command.Add(Image);
        command.Add(Command);
    }

    /// <summary>The create body docker would send for these flags (checked against bodies captured from docker 28).</summary>
    public ContainerCreateRequest Build(ParseResult parse, bool detach, Func<string, string?> environment, (int Height, int Width)? consoleSize = null)
    {
        bool interactive = parse.GetValue(Interactive);
        bool tty = parse.GetValue(Tty);
        bool autoRemove = parse.GetValue(Remove);
        string? restart = parse.GetValue(Restart);
        if (autoRemove && restart is not null && restart != "no")
        {
            throw new UsageException("conflicting options: cannot specify both --restart and --rm");
        }

        string pull = parse.GetValue(Pull) ?? "missing";
        if (pull is not ("always" or "missing" or "never"))
        {
            throw new UsageException($"invalid pull option: '{pull}': must be one of \"always\", \"missing\" or \"never\"");
        }

        if (parse.GetValue(Publish) is { Length: > 0 })
        {
            throw new UsageException("--publish is not supported yet: port publishing comes with bridge networking");
        }

        var env = (parse.GetValue(EnvFile) ?? []).SelectMany(f => OptionParsers.EnvFile(f, environment))
            .Concat((parse.GetValue(Env) ?? []).Select(e => OptionParsers.Env(e, environment))).ToList();
        string[] command = parse.GetValue(Command) ?? [];
        string? entrypoint = parse.GetValue(Entrypoint);
        var labels = (parse.GetValue(Label) ?? []).Select(OptionParsers.KeyValue).ToDictionary(kv => kv.Key, kv => kv.Value);
        var tmpfs = (parse.GetValue(Tmpfs) ?? []).Select(t => t.Split(':', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        string? memory = parse.GetValue(Memory), memorySwap = parse.GetValue(MemorySwap), cpus = parse.GetValue(Cpus);

        var host = new HostConfig
        {
            Binds = NullIfEmpty(parse.GetValue(Volume)),
            NetworkMode = parse.GetValue(Network) ?? "default",
            RestartPolicy = restart is null ? new RestartPolicy { Name = "no" } : OptionParsers.Restart(restart),
            AutoRemove = autoRemove,
            ConsoleSize = tty && consoleSize is { } size ? [size.Height, size.Width] : null,
            CapAdd = NullIfEmpty(parse.GetValue(CapAdd)?.Select(OptionParsers.Capability)),
            CapDrop = NullIfEmpty(parse.GetValue(CapDrop)?.Select(OptionParsers.Capability)),
            Privileged = parse.GetValue(Privileged),
            ReadonlyRootfs = parse.GetValue(ReadOnly),
            SecurityOpt = NullIfEmpty(parse.GetValue(SecurityOpt)),
            Tmpfs = tmpfs.Count == 0 ? null : tmpfs,
            CpuShares = parse.GetValue(CpuShares),
            CpuQuota = parse.GetValue(CpuQuota),
            CpuPeriod = parse.GetValue(CpuPeriod),
            CpusetCpus = parse.GetValue(CpusetCpus),
            Memory = memory is null ? null : OptionParsers.Bytes(memory, "--memory"),
            MemorySwap = memorySwap is null ? null : memorySwap == "-1" ? -1 : OptionParsers.Bytes(memorySwap, "--memory-swap"),
            MemorySwappiness = -1,
            NanoCpus = cpus is null ? null : OptionParsers.NanoCpus(cpus),
            PidsLimit = parse.GetValue(PidsLimit),
            Ulimits = NullIfEmpty(parse.GetValue(Ulimit)?.Select(OptionParsers.Ulimit)),
            Mounts = NullIfEmpty(parse.GetValue(Mount)?.Select(OptionParsers.Mount)),
            Init = parse.GetValue(Init) ? true : null,
            OomKillDisable = parse.GetValue(OomKillDisable) ? true : null,
        };

        return new ContainerCreateRequest
        {
            Hostname = parse.GetValue(Hostname),
            User = parse.GetValue(User),
            AttachStdin = interactive && !detach,
            AttachStdout = !detach,
            AttachStderr = !detach,
            Tty = tty,
            OpenStdin = interactive,
            StdinOnce = interactive && !detach,
            Env = env.Count == 0 ? null : env,
            Cmd = command.Length == 0 ? null : new StrSlice(command),
            Image = parse.GetValue(Image),
            WorkingDir = parse.GetValue(Workdir),
            Entrypoint = entrypoint is null ? null : [entrypoint],
            Labels = labels,
            StopSignal = parse.GetValue(StopSignal),
            StopTimeout = parse.GetValue(StopTimeout),
            HostConfig = host,
        };
    }

    private static List<T>? NullIfEmpty<T>(IEnumerable<T>? items) => items?.ToList() is { Count: > 0 } list ? list : null;
}
