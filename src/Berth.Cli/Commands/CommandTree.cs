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

    /// <param name="args">The command line: when its verb is a top-level command, the `container`, `image` and
    /// `system` groups (copies of most commands, half of the tree) are added by name only, since this command line
    /// cannot reach into them; they are built whole otherwise, for their own verbs and for help.</param>
    public static RootCommand Build(CliContext cli, IReadOnlyList<string>? args = null)
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

        bool groupsUnreachable = Verb(args) is { } verb && root.Subcommands.Any(c => c.Name == verb || c.Aliases.Contains(verb));
        var container = new Command("container", "Manage containers");
        var image = new Command("image", "Manage images");
        var system = new Command("system", "Manage Docker");
        if (!groupsUnreachable)
        {
            AddContainerVerbs(container, cli);
            AddImageVerbs(image, cli);
            AddSystemVerbs(system, cli);
        }

        root.Add(container);
        root.Add(image);
        root.Add(system);
        root.Add(SystemVerbs.Events(cli));
        return root;
    }

    private static void AddContainerVerbs(Command container, CliContext cli)
    {
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
    }

    private static void AddImageVerbs(Command image, CliContext cli)
    {
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
    }

    private static void AddSystemVerbs(Command system, CliContext cli)
    {
        foreach (Command command in new[] { SystemVerbs.DiskUsage(cli), SystemVerbs.Prune(cli), InfoCommand.Create(cli), SystemVerbs.Events(cli) })
        {
            system.Add(command);
        }
    }

    /// <summary>The first word that is neither a global flag nor its value; null when a flag comes first that only
    /// the parser can judge.</summary>
    private static string? Verb(IReadOnlyList<string>? args)
    {
        for (int i = 0; args is not null && i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-H" or "--host")
            {
                i++;
            }
            else if (arg.StartsWith("--host=", StringComparison.Ordinal) || (arg.StartsWith("-H", StringComparison.Ordinal) && arg.Length > 2))
            {
                continue;
            }
            else
            {
                return arg.StartsWith('-') ? null : arg;
            }
        }

        return null;
    }
}
