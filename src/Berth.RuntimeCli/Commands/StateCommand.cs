using System.CommandLine;
using System.Text.Json;
using Berth.Runtime;

namespace Berth.RuntimeCli.Commands;

internal static class StateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("container-id");
        var command = new Command("state", "output the state of a container") { id };
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            var options = new JsonSerializerOptions(RuntimeJsonContext.Default.Options) { WriteIndented = true };
            Console.WriteLine(JsonSerializer.Serialize(runtime.State(parse.GetValue(id)!), new RuntimeJsonContext(options).OciState));
            return 0;
        }));
        return command;
    }
}
