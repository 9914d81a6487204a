using System.CommandLine;
using Berth.Client;

namespace Berth.Cli.Commands.Container;

internal static class WaitCommand
{
    public static Command Create(CliContext cli)
    {
        var names = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("wait", "Block until one or more containers stop, then print their exit codes") { names }
            .WithUsage("CONTAINER [CONTAINER...]");
        return command.Runs(cli, async (parse, ct) =>
        {
            bool failed = false;
            foreach (string id in parse.GetValue(names)!)
            {
                try
                {
                    var result = await cli.Client.ContainerWaitAsync(id, "not-running", ct);
                    await cli.Out.WriteLineAsync(result.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                catch (BerthClientException ex)
                {
                    failed = true;
                    await cli.Err.WriteLineAsync(ex.DisplayMessage);
                }
            }

            return failed ? 1 : 0;
        });
    }
}
