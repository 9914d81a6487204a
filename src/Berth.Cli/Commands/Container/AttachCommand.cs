using System.CommandLine;

namespace Berth.Cli.Commands.Container;

internal static class AttachCommand
{
    public static Command Create(CliContext cli)
    {
        var noStdin = new Option<bool>("--no-stdin") { Description = "Do not attach STDIN" };
        var detachKeys = new Option<string?>("--detach-keys") { Description = "Override the key sequence for detaching a container" };
        var sigProxy = new Option<bool>("--sig-proxy") { Description = "Proxy all received signals to the process", DefaultValueFactory = _ => true };
        var name = new Argument<string>("CONTAINER");
        var command = new Command("attach", "Attach local standard input, output, and error streams to a running container") { noStdin, detachKeys, sigProxy, name }
            .WithUsage("[OPTIONS] CONTAINER");
        return command.Runs(cli, (parse, ct) =>
            StartCommand.AttachAndStartAsync(cli, parse.GetValue(name)!, !parse.GetValue(noStdin), parse.GetValue(detachKeys), start: false, ct));
    }
}
