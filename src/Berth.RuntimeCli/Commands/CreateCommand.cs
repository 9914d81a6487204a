using System.CommandLine;
using Berth.Runtime.Lifecycle;

namespace Berth.RuntimeCli.Commands;

internal static class CreateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var bundle = BundleOptions.Bundle();
        var pidFile = BundleOptions.PidFile();
        var consoleSocket = BundleOptions.ConsoleSocket();
        var id = new Argument<string>("container-id");
        var command = new Command("create", "create a container") { bundle, pidFile, consoleSocket, id };
        BundleOptions.AddCompatibilityFlags(command);
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            using var process = runtime.Create(parse.GetValue(id)!, parse.GetValue(bundle)!, new CreateOptions
            {
                PidFile = parse.GetValue(pidFile),
                ConsoleSocket = parse.GetValue(consoleSocket),
            });
            return 0;
        }));
        return command;
    }
}
