using System.CommandLine;
using Berth.Api.Containers;
using Berth.Cli.Formatting;
using Berth.Cli.Terminal;
using Berth.Client;

namespace Berth.Cli.Commands.Container;

/// <summary>`run`: create (pulling if needed) → attach unless -d → start → wait, exiting with the container's status.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext cli)
    {
        var options = new ContainerOptions();
        var detach = new Option<bool>("--detach", "-d") { Description = "Run container in background and print container ID" };
        var command = new Command("run", "Create and run a new container from an image") { detach }
            .WithUsage("[OPTIONS] IMAGE [COMMAND] [ARG...]").StopOptionsAfter(1);
        options.AddTo(command);
        return command.Runs(cli, (parse, ct) => RunAsync(cli, options, parse, parse.GetValue(detach), ct));
    }

    private static async Task<int> RunAsync(CliContext cli, ContainerOptions options, ParseResult parse, bool detach, CancellationToken ct)
    {
        bool tty = parse.GetValue(options.Tty);
        bool interactive = parse.GetValue(options.Interactive);
        if (tty && interactive && !detach && !cli.StdinIsTerminal)
        {
            throw new StatusException(1, "the input device is not a TTY");
        }

        DetachKeys? keys = tty && interactive ? DetachKeys.Parse(parse.GetValue(options.DetachKeys)) : null;
        ContainerCreateRequest request = options.Build(parse, detach, cli.Environment, tty ? ResizeForwarder.CurrentSize() : null);
        ContainerCreateResponse created = await DaemonErrorsAs125(parse, () => ContainerCreator.CreateAsync(cli, request, parse.GetValue(options.Name),
            parse.GetValue(options.Platform), parse.GetValue(options.Pull) ?? "missing", parse.GetValue(options.Quiet), ct));
        string id = created.Id;

        if (detach)
        {
            await StartAsync(cli, parse, id, ct);
            await cli.Out.WriteLineAsync(id);
            return 0;
        }

        // Wait is registered before start so a fast exit (or --rm removal) is not missed.
        using var waitCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<ContainerWaitResponse> wait = cli.Client.ContainerWaitAsync(id, request.HostConfig?.AutoRemove == true ? "removed" : "next-exit", waitCancel.Token);
        HijackedConnection connection = await DaemonErrorsAs125(parse, () => cli.Client.ContainerAttachAsync(id, interactive, stdout: true, stderr: true,
            detachKeys: parse.GetValue(options.DetachKeys), cancellationToken: ct));
        await using (connection)
        {
            using RawTerminal? raw = tty && interactive ? RawTerminal.Enter() : null;
            await StartAsync(cli, parse, id, ct);
            using ResizeForwarder? resize = tty && cli.StdoutIsTerminal ? await ResizeForwarder.StartAsync((h, w) => cli.Client.ContainerResizeAsync(id, h, w, ct)) : null;
            bool detached = await StreamPump.RunAsync(cli, connection, tty, interactive, keys, ct);
            raw?.Restore();
            if (detached)
            {
                await waitCancel.CancelAsync();
                return 0;
            }
        }

        ContainerWaitResponse status = await wait;
        if (status.Error is { Message.Length: > 0 } error)
        {
            throw new StatusException(125, "berth: Error response from daemon: " + error.Message);
        }

        return (int)status.StatusCode;
    }

    private static async Task StartAsync(CliContext cli, ParseResult parse, string id, CancellationToken ct)
    {
        try
        {
            await cli.Client.ContainerStartAsync(id, cancellationToken: ct);
        }
        catch (BerthClientException ex)
        {
            throw new StatusException(StartFailureStatus(ex.Message), $"berth: {ex.DisplayMessage}\n\nRun '{CliActions.PathOf(parse)} --help' for more information");
        }
    }

    /// <summary>docker's run exit codes for start failures: 127 command not found, 126 not executable, else 125.</summary>
    public static int StartFailureStatus(string message) =>
        message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal) ? 127
        : message.Contains("permission denied", StringComparison.Ordinal) || message.Contains("is a directory", StringComparison.Ordinal) ? 126
        : 125;

    /// <summary>docker run/create print daemon errors as "docker: Error response from daemon: …" and exit 125.</summary>
    public static async Task<T> DaemonErrorsAs125<T>(ParseResult parse, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (BerthClientException ex)
        {
            throw new StatusException(125, $"berth: {ex.DisplayMessage}\n\nRun '{CliActions.PathOf(parse)} --help' for more information");
        }
        catch (ProgressException ex)
        {
            throw new StatusException(125, $"berth: {ex.Message}\n\nRun '{CliActions.PathOf(parse)} --help' for more information");
        }
    }
}
