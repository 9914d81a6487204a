using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Lifecycle;
using Berth.Runtime.Spec;

namespace Berth.RuntimeCli.Commands;

/// <summary>runc exec: a new process in a running container, from --process JSON or from the command line.</summary>
internal static class ExecCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var consoleSocket = BundleOptions.ConsoleSocket();
        var pidFile = BundleOptions.PidFile();
        var cwd = new Option<string?>("--cwd") { Description = "current working directory in the container" };
        var env = new Option<string[]>("--env", "-e") { Description = "set environment variables", AllowMultipleArgumentsPerToken = false };
        var tty = new Option<bool>("--tty", "-t") { Description = "allocate a pseudo-TTY" };
        var user = new Option<string?>("--user", "-u") { Description = "UID (format: <uid>[:<gid>])" };
        var groups = new Option<string[]>("--additional-gids", "-g") { Description = "additional gids" };
        var processFile = new Option<string?>("--process", "-p") { Description = "path to the process.json" };
        var detach = new Option<bool>("--detach", "-d") { Description = "detach from the container's process" };
        var noNewPrivs = new Option<bool>("--no-new-privs") { Description = "set the no new privileges value for the process" };
        var caps = new Option<string[]>("--cap", "-c") { Description = "add a capability to the bounding set for the process" };
        var id = new Argument<string>("container-id");
        var command = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore };
        var exec = new Command("exec", "execute new process inside the container")
        {
            consoleSocket, pidFile, cwd, env, tty, user, groups, processFile, detach, noNewPrivs, caps, id, command,
        };
        exec.Options.Add(new Option<int>("--preserve-fds") { Hidden = true });
        exec.Options.Add(new Option<string?>("--process-label") { Hidden = true });
        exec.Options.Add(new Option<string?>("--apparmor") { Hidden = true });
        exec.Options.Add(new Option<bool>("--ignore-paused") { Hidden = true });
        exec.Options.Add(new Option<string[]>("--cgroup") { Hidden = true });
        exec.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            Func<SpecProcess, SpecProcess> process = parse.GetValue(processFile) is { } file
                ? _ => JsonSerializer.Deserialize(File.ReadAllText(file), SpecJsonContext.Default.SpecProcess)
                    ?? throw Errors.InvalidArgument($"{file}: empty process")
                : configured => FromCommandLine(configured, parse.GetValue(command) ?? [], parse.GetValue(tty), parse.GetValue(cwd),
                    parse.GetValue(env) ?? [], parse.GetValue(user), parse.GetValue(groups) ?? [], parse.GetValue(noNewPrivs), parse.GetValue(caps) ?? []);
            return runtime.Exec(parse.GetValue(id)!, new ExecOptions
            {
                Process = process,
                Detach = parse.GetValue(detach),
                PidFile = parse.GetValue(pidFile),
                ConsoleSocket = parse.GetValue(consoleSocket),
            });
        }));
        return exec;
    }

    /// <summary>runc's rule: start from the container's own process (env, user, caps, rlimits) and apply the flags.</summary>
    private static SpecProcess FromCommandLine(SpecProcess base_, string[] args, bool tty, string? cwd, string[] env,
        string? user, string[] groups, bool noNewPrivs, string[] caps)
    {
        if (args.Length == 0)
        {
            throw Errors.InvalidArgument("exec: no command given; args must not be empty");
        }

        var process = new SpecProcess
        {
            Args = [.. args],
            Terminal = tty,
            Cwd = cwd ?? base_.Cwd,
            Env = [.. base_.Env ?? [], .. env],
            User = base_.User,
            Capabilities = base_.Capabilities,
            Rlimits = base_.Rlimits,
            NoNewPrivileges = base_.NoNewPrivileges || noNewPrivs,
        };
        if (user is not null)
        {
            string[] parts = user.Split(':', 2);
            process.User = new SpecUser
            {
                Uid = uint.Parse(parts[0], CultureInfo.InvariantCulture),
                Gid = parts.Length > 1 ? uint.Parse(parts[1], CultureInfo.InvariantCulture) : 0,
            };
        }

        if (groups.Length > 0)
        {
            process.User.AdditionalGids = [.. groups.Select(g => uint.Parse(g, CultureInfo.InvariantCulture))];
        }

        if (caps.Length > 0 && process.Capabilities is { } existing)
        {
            // Not inheritable or ambient: runc stopped that in 1.1.2 (CVE-2022-29162, caps leaking to children).
            process.Capabilities = new SpecCapabilities
            {
                Bounding = [.. existing.Bounding ?? [], .. caps],
                Effective = [.. existing.Effective ?? [], .. caps],
                Permitted = [.. existing.Permitted ?? [], .. caps],
                Inheritable = existing.Inheritable,
                Ambient = existing.Ambient,
            };
        }

        return process;
    }
}
