using System.CommandLine;
using Berth.Cli.Terminal;
using Berth.Client;

namespace Berth.Cli.Commands.Container;

internal static class StartCommand
{
    public static Command Create(CliContext cli)
    {
        var attach = new Option<bool>("--attach", "-a") { Description = "Attach STDOUT/STDERR and forward signals" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Attach container's STDIN" };
        var detachKeys = new Option<string?>("--detach-keys") { Description = "Override the key sequence for detaching a container" };
        var names = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("start", "Start one or more stopped containers") { attach, interactive, detachKeys, names }
            .WithUsage("[OPTIONS] CONTAINER [CONTAINER...]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string[] containers = parse.GetValue(names)!;
            bool attached = parse.GetValue(attach) || parse.GetValue(interactive);
            if (!attached)
            {
                bool failed = false;
                foreach (string id in containers)
                {
                    try
                    {
                        await cli.Client.ContainerStartAsync(id, cancellationToken: ct);
                        await cli.Out.WriteLineAsync(id);
                    }
                    catch (BerthClientException ex)
                    {
                        failed = true;
                        await cli.Err.WriteLineAsync(ex.DisplayMessage);
                    }
                }

                return failed ? 1 : 0;
            }

            if (containers.Length > 1)
            {
                throw new StatusException(1, "you cannot start and attach multiple containers at once");
            }

            return await AttachAndStartAsync(cli, containers[0], parse.GetValue(interactive), parse.GetValue(detachKeys), start: true, ct);
        });
    }

    /// <summary>Shared by `start -a` and `attach`: hijack, (start,) pump, then report the container's exit code.</summary>
    public static async Task<int> AttachAndStartAsync(CliContext cli, string id, bool stdin, string? detachKeys, bool start, CancellationToken ct)
    {
        var inspect = await cli.Client.ContainerInspectAsync(id, ct);
        bool tty = inspect.Config.Tty;
        stdin = stdin && inspect.Config.OpenStdin;
        if (!start && !inspect.State.Running)
        {
            throw new StatusException(1, "You cannot attach to a stopped container, start it first");
        }

        Task<Api.Containers.ContainerWaitResponse>? wait = start ? cli.Client.ContainerWaitAsync(id, "next-exit", ct) : null;
        await using HijackedConnection connection = await cli.Client.ContainerAttachAsync(id, stdin, true, true, detachKeys, cancellationToken: ct);
        using RawTerminal? raw = tty && stdin && cli.StdinIsTerminal ? RawTerminal.Enter() : null;
        if (start)
        {
            await cli.Client.ContainerStartAsync(id, cancellationToken: ct);
        }

        using ResizeForwarder? resize = tty && cli.StdoutIsTerminal ? await ResizeForwarder.StartAsync((h, w) => cli.Client.ContainerResizeAsync(id, h, w, ct)) : null;
        bool detached = await StreamPump.RunAsync(cli, connection, tty, stdin, tty && stdin ? DetachKeys.Parse(detachKeys) : null, ct);
        raw?.Restore();
        if (detached)
        {
            return 0;
        }

        if (wait is not null)
        {
            return (int)(await wait).StatusCode;
        }

        var after = await cli.Client.ContainerInspectAsync(id, ct);
        return after.State.ExitCode;
    }
}
