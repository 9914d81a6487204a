using System.CommandLine;

namespace Berth.RuntimeCli.Commands;

/// <summary>The flags create and run share, as runc spells them.</summary>
internal static class BundleOptions
{
    public static Option<string> Bundle() => new("--bundle", "-b")
    {
        Description = "path to the root of the bundle directory, defaults to the current directory",
        DefaultValueFactory = _ => Directory.GetCurrentDirectory(),
    };

    public static Option<string?> PidFile() => new("--pid-file") { Description = "specify the file to write the process id to" };

    public static Option<string?> ConsoleSocket() => new("--console-socket")
    {
        Description = "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal",
    };

    /// <summary>Flags engines pass that change nothing here (kept so their calls do not fail).</summary>
    public static void AddCompatibilityFlags(Command command)
    {
        command.Options.Add(new Option<bool>("--no-pivot") { Hidden = true });
        command.Options.Add(new Option<bool>("--no-new-keyring") { Hidden = true });
        command.Options.Add(new Option<int>("--preserve-fds") { Hidden = true });
    }
}
