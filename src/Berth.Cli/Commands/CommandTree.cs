using System.CommandLine;
using Berth.Cli.Commands.Container;
using Berth.Cli.Commands.Image;
using Berth.Cli.Commands.Registry;
using Berth.Cli.Commands.Engine;

namespace Berth.Cli.Commands;

/// <summary>docker's command surface: top-level verbs plus the `container`, `image` and `system` management forms.</summary>
internal static class CommandTree
{
    public static Option<string?> HostOption { get; } = new("--host", "-H") { Description = "Daemon socket to connect to", Recursive = true };

    public static RootCommand Build(CliContext cli)
    {
        var root = new RootCommand("A self-sufficient runtime for containers") { HostOption };
        ArgumentSplitter.RecursiveOptions.Clear();
        ArgumentSplitter.RecursiveOptions.Add(HostOption);

        foreach (Command command in new[]
        {
            RunCommand.Create(cli), CreateCommand.Create(cli), StartCommand.Create(cli), LifecycleCommands.Stop(cli),
            LifecycleCommands.Kill(cli), LifecycleCommands.Restart(cli), LifecycleCommands.Pause(cli), LifecycleCommands.Unpause(cli),
            LifecycleCommands.Remove(cli), PsCommand.Create(cli), LogsCommand.Create(cli), ExecCommand.Create(cli),
            AttachCommand.Create(cli), WaitCommand.Create(cli), InspectCommand.Create(cli, "any"), SmallCommands.Top(cli),
            SmallCommands.Rename(cli), SmallCommands.Port(cli), CopyCommand.Create(cli),
            PullCommand.Create(cli), ImageVerbs.Push(cli), ImagesCommand.Create(cli), ImageVerbs.Remove(cli), ImageVerbs.Tag(cli),
            ImageVerbs.Save(cli), ImageVerbs.Load(cli), ImageVerbs.History(cli), LoginCommands.Login(cli), LoginCommands.Logout(cli),
            VersionCommand.Create(cli), InfoCommand.Create(cli),
        })
        {
            root.Add(command);
        }

        var container = new Command("container", "Manage containers");
        foreach (Command command in new[]
        {
            RunCommand.Create(cli), CreateCommand.Create(cli), StartCommand.Create(cli), LifecycleCommands.Stop(cli),
            LifecycleCommands.Kill(cli), LifecycleCommands.Restart(cli), LifecycleCommands.Pause(cli), LifecycleCommands.Unpause(cli),
            LifecycleCommands.Remove(cli), PsCommand.Create(cli), LogsCommand.Create(cli), ExecCommand.Create(cli),
            AttachCommand.Create(cli), WaitCommand.Create(cli), InspectCommand.Create(cli, "container"), SmallCommands.Top(cli),
            SmallCommands.Rename(cli), SmallCommands.Port(cli), CopyCommand.Create(cli),
        })
        {
            container.Add(command);
        }

        var image = new Command("image", "Manage images");
        Command imageList = ImagesCommand.Create(cli, "ls");
        imageList.Aliases.Add("list");
        foreach (Command command in new[]
        {
            PullCommand.Create(cli), ImageVerbs.Push(cli), imageList, ImageVerbs.Remove(cli, "rm"), ImageVerbs.Tag(cli),
            ImageVerbs.Save(cli), ImageVerbs.Load(cli), ImageVerbs.History(cli), InspectCommand.Create(cli, "image"),
        })
        {
            image.Add(command);
        }

        var system = new Command("system", "Manage Docker")
        {
            SystemVerbs.DiskUsage(cli), SystemVerbs.Prune(cli), InfoCommand.Create(cli), SystemVerbs.Events(cli),
        };

        root.Add(container);
        root.Add(image);
        root.Add(system);
        root.Add(SystemVerbs.Events(cli));
        return root;
    }
}
