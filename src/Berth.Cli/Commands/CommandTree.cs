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
    /// <remarks>
    /// A command line that names a top-level command and asks no help gets a plain root: RootCommand's help and version
    /// options look their descriptions up through System.CommandLine's resources, whose first use under NativeAOT
    /// reflects over the assembly (about a fifteenth of a `berth run -d`), and such a line prints no help. Any other
    /// line (help anywhere, a group, no verb) gets the RootCommand.
    /// </remarks>
    public static Command Build(CliContext cli, IReadOnlyList<string>? args = null)
    {
        ArgumentSplitter.RecursiveOptions.Clear();
        ArgumentSplitter.RecursiveOptions.Add(HostOption);
        Command[] commands =
        [
            RunCommand.Create(cli), CreateCommand.Create(cli), StartCommand.Create(cli), LifecycleCommands.Stop(cli),
            LifecycleCommands.Kill(cli), LifecycleCommands.Restart(cli), LifecycleCommands.Pause(cli), LifecycleCommands.Unpause(cli),
            LifecycleCommands.Remove(cli), PsCommand.Create(cli), LogsCommand.Create(cli), ExecCommand.Create(cli),
            AttachCommand.Create(cli), WaitCommand.Create(cli), InspectCommand.Create(cli, "any"), SmallCommands.Top(cli),
            SmallCommands.Rename(cli), SmallCommands.Port(cli), CopyCommand.Create(cli),
            PullCommand.Create(cli), ImageVerbs.Push(cli), ImagesCommand.Create(cli), ImageVerbs.Remove(cli), ImageVerbs.Tag(cli),
            ImageVerbs.Save(cli), ImageVerbs.Load(cli), ImageVerbs.History(cli), LoginCommands.Login(cli), LoginCommands.Logout(cli),
            VersionCommand.Create(cli), InfoCommand.Create(cli),
        ];

        bool groupsUnreachable = Verb(args) is { } verb && commands.Any(c => c.Name == verb || c.Aliases.Contains(verb));
        const string description = "A self-sufficient runtime for containers";
        Command root = groupsUnreachable && !(args ?? []).Any(IsHelpFlag) ? new Command(RootName, description) : new RootCommand(description);
        root.Add(HostOption);
        foreach (Command command in commands)
        {
            root.Add(command);
        }

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

    /// <summary>The name the root goes by in messages ("berth run"), whichever root the line got.</summary>
    public const string RootName = "berth";

    public static bool IsRoot(Command command) => command is RootCommand || !command.Parents.Any();

    /// <summary>System.CommandLine's help aliases.</summary>
    private static bool IsHelpFlag(string arg) => arg is "-h" or "--help" or "-?" or "/?" or "/h";

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
