using System.CommandLine;
using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.RuntimeCli.Commands;

internal static class KillCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "send the specified signal to all processes inside the container" };
        var id = new Argument<string>("container-id");
        var signal = new Argument<string>("signal") { DefaultValueFactory = _ => "SIGTERM" };
        var command = new Command("kill", "kill sends the specified signal (default: SIGTERM) to the container's init process") { all, id, signal };
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            string name = parse.GetValue(signal)!;
            int number = Signals.Parse(name) ?? throw Errors.InvalidArgument($"unknown signal \"{name}\"");
            runtime.Kill(parse.GetValue(id)!, number, parse.GetValue(all));
            return 0;
        }));
        return command;
    }
}
