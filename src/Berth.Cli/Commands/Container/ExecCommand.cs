using System.CommandLine;
using Berth.Api.Exec;
using Berth.Cli.Terminal;
using Berth.Client;

namespace Berth.Cli.Commands.Container;

internal static class ExecCommand
{
    public static Command Create(CliContext cli)
    {
        var detach = new Option<bool>("--detach", "-d") { Description = "Detached mode: run command in the background" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep STDIN open even if not attached" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set environment variables" };
        var envFile = new Option<string[]>("--env-file") { Description = "Read in a file of environment variables" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container" };
        var user = new Option<string?>("--user", "-u") { Description = "Username or UID (format: \"<name|uid>[:<group|gid>]\")" };
        var privileged = new Option<bool>("--privileged") { Description = "Give extended privileges to the command" };
        var detachKeys = new Option<string?>("--detach-keys") { Description = "Override the key sequence for detaching a container" };
        var container = new Argument<string>("CONTAINER");
        var args = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "Execute a command in a running container")
        {
            detach, interactive, tty, env, envFile, workdir, user, privileged, detachKeys, container, args,
        }.WithUsage("[OPTIONS] CONTAINER COMMAND [ARG...]").StopOptionsAfter(1);
        return command.Runs(cli, async (parse, ct) =>
        {
            bool isDetached = parse.GetValue(detach), isTty = parse.GetValue(tty), stdin = parse.GetValue(interactive);
            if (isTty && stdin && !isDetached && !cli.StdinIsTerminal)
            {
                throw new StatusException(1, "the input device is not a TTY");
            }

            string id = parse.GetValue(container)!;
            var envs = (parse.GetValue(envFile) ?? []).SelectMany(f => OptionParsers.EnvFile(f, cli.Environment))
                .Concat((parse.GetValue(env) ?? []).Select(e => OptionParsers.Env(e, cli.Environment))).ToList();
            var size = isTty ? ResizeForwarder.CurrentSize() : null;
            var request = new ExecCreateRequest
            {
                User = parse.GetValue(user),
                Privileged = parse.GetValue(privileged),
                Tty = isTty,
                ConsoleSize = size is { } s ? [s.Height, s.Width] : null,
                AttachStdin = stdin && !isDetached,
                AttachStdout = !isDetached,
                AttachStderr = !isDetached,
                DetachKeys = parse.GetValue(detachKeys),
                Env = envs.Count == 0 ? null : envs,
                WorkingDir = parse.GetValue(workdir),
                Cmd = parse.GetValue(args),
            };
            string execId = (await cli.Client.ExecCreateAsync(id, request, ct)).Id;
            if (isDetached)
            {
                await cli.Client.ExecStartDetachedAsync(execId, ct);
                return 0;
            }

            await using (HijackedConnection connection = await cli.Client.ExecStartAttachedAsync(execId, new ExecStartRequest { Tty = isTty, ConsoleSize = request.ConsoleSize }, ct))
            {
                using RawTerminal? raw = isTty && stdin ? RawTerminal.Enter() : null;
                using ResizeForwarder? resize = isTty && cli.StdoutIsTerminal ? await ResizeForwarder.StartAsync((h, w) => cli.Client.ExecResizeAsync(execId, h, w, ct)) : null;
                bool detached = await StreamPump.RunAsync(cli, connection, isTty, stdin, isTty && stdin ? DetachKeys.Parse(parse.GetValue(detachKeys)) : null, ct);
                raw?.Restore();
                if (detached)
                {
                    return 0;
                }
            }

            ExecInspectResponse result = await cli.Client.ExecInspectAsync(execId, ct);
            return result.ExitCode ?? 0;
        });
    }
}
