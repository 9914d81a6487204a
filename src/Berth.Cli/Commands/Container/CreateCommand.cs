using System.CommandLine;

namespace Berth.Cli.Commands.Container;

internal static class CreateCommand
{
    public static Command Create(CliContext cli)
    {
        var options = new ContainerOptions();
        var command = new Command("create", "Create a new container").WithUsage("[OPTIONS] IMAGE [COMMAND] [ARG...]").StopOptionsAfter(1);
        options.AddTo(command);
        return command.Runs(cli, async (parse, ct) =>
        {
            var request = options.Build(parse, detach: true, cli.Environment);
            var created = await RunCommand.DaemonErrorsAs125(parse, () => ContainerCreator.CreateAsync(cli, request, parse.GetValue(options.Name),
                parse.GetValue(options.Platform), parse.GetValue(options.Pull) ?? "missing", parse.GetValue(options.Quiet), ct));
            await cli.Out.WriteLineAsync(created.Id);
            return 0;
        });
    }
}
