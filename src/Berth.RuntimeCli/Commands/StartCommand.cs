using System.CommandLine;

namespace Berth.RuntimeCli.Commands;

internal static class StartCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("container-id");
        var command = new Command("start", "executes the user defined process in a created container") { id };
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            runtime.Start(parse.GetValue(id)!);
            return 0;
        }));
        return command;
    }
}
