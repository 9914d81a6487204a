using System.CommandLine;

namespace Berth.Cli.Commands.Container;

/// <summary>stop, kill, restart, pause, unpause, rm: one request per container.</summary>
internal static class LifecycleCommands
{
    public static Command Stop(CliContext cli)
    {
        var timeout = new Option<int?>("--timeout", "-t") { Description = "Seconds to wait before killing the container" };
        var signal = new Option<string?>("--signal", "-s") { Description = "Signal to send to the container" };
        return EachContainer.Verb(cli, "stop", "Stop one or more running containers",
            (p, id, ct) => cli.Client.ContainerStopAsync(id, p.GetValue(timeout), p.GetValue(signal), ct), timeout, signal);
    }

    public static Command Restart(CliContext cli)
    {
        var timeout = new Option<int?>("--timeout", "-t") { Description = "Seconds to wait before killing the container" };
        var signal = new Option<string?>("--signal", "-s") { Description = "Signal to send to the container" };
        return EachContainer.Verb(cli, "restart", "Restart one or more containers",
            (p, id, ct) => cli.Client.ContainerRestartAsync(id, p.GetValue(timeout), p.GetValue(signal), ct), timeout, signal);
    }

    public static Command Kill(CliContext cli)
    {
        var signal = new Option<string?>("--signal", "-s") { Description = "Signal to send to the container" };
        return EachContainer.Verb(cli, "kill", "Kill one or more running containers",
            (p, id, ct) => cli.Client.ContainerKillAsync(id, p.GetValue(signal), ct), signal);
    }

    public static Command Pause(CliContext cli) =>
        EachContainer.Verb(cli, "pause", "Pause all processes within one or more containers", (_, id, ct) => cli.Client.ContainerPauseAsync(id, ct));

    public static Command Unpause(CliContext cli) =>
        EachContainer.Verb(cli, "unpause", "Unpause all processes within one or more containers", (_, id, ct) => cli.Client.ContainerUnpauseAsync(id, ct));

    public static Command Remove(CliContext cli)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Force the removal of a running container (uses SIGKILL)" };
        var volumes = new Option<bool>("--volumes", "-v") { Description = "Remove anonymous volumes associated with the container" };
        var link = new Option<bool>("--link", "-l") { Description = "Remove the specified link" };
        Command command = EachContainer.Verb(cli, "rm", "Remove one or more containers",
            (p, id, ct) => cli.Client.ContainerRemoveAsync(id, p.GetValue(force), p.GetValue(volumes), p.GetValue(link), ct), force, volumes, link);
        command.Aliases.Add("remove");
        return command;
    }
}
