using System.CommandLine;
using Berth.Client;

namespace Berth.Cli.Commands.Container;

/// <summary>docker's pattern for verbs over several containers: print each name on success, each error on stderr, exit 1 if any failed.</summary>
internal static class EachContainer
{
    public static Command Verb(CliContext cli, string name, string description, Func<ParseResult, string, CancellationToken, Task> action, params Option[] options)
    {
        var names = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { names }.WithUsage("[OPTIONS] CONTAINER [CONTAINER...]");
        foreach (Option option in options)
        {
            command.Add(option);
        }

        return command.Runs(cli, async (parse, ct) =>
        {
            bool failed = false;
            foreach (string container in parse.GetValue(names)!)
            {
                try
                {
                    await action(parse, container, ct);
                    await cli.Out.WriteLineAsync(container);
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
