using System.CommandLine;

namespace Berth.RuntimeCli.Commands;

internal static class DeleteCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Forcibly deletes the container if it is still running (uses SIGKILL)" };
        var id = new Argument<string>("container-id");
        var command = new Command("delete", "delete any resources held by the container often used with detached container") { force, id };
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            runtime.Delete(parse.GetValue(id)!, parse.GetValue(force));
            return 0;
        }));
        return command;
    }
}
