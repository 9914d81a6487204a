using System.CommandLine;
using Berth.Runtime.Lifecycle;

namespace Berth.RuntimeCli.Commands;

internal static class RunCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var bundle = BundleOptions.Bundle();
        var pidFile = BundleOptions.PidFile();
        var consoleSocket = BundleOptions.ConsoleSocket();
        var detach = new Option<bool>("--detach", "-d") { Description = "detach from the container's process" };
        var keep = new Option<bool>("--keep") { Description = "accepted for compatibility; the container is deleted after it exits", Hidden = true };
        var id = new Argument<string>("container-id");
        var command = new Command("run", "create and run a container") { bundle, pidFile, consoleSocket, detach, keep, id };
        BundleOptions.AddCompatibilityFlags(command);
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
            runtime.Run(parse.GetValue(id)!, parse.GetValue(bundle)!, parse.GetValue(detach), new CreateOptions
            {
                PidFile = parse.GetValue(pidFile),
                ConsoleSocket = parse.GetValue(consoleSocket),
            })));
        return command;
    }
}
