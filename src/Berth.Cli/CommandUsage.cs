using System.CommandLine;
using System.Runtime.CompilerServices;

namespace Berth.Cli;

/// <summary>docker's usage lines ("berth run [OPTIONS] IMAGE [COMMAND] [ARG...]") and where positional arguments stop option parsing.</summary>
internal static class CommandUsage
{
    private static readonly ConditionalWeakTable<Command, string> Usages = new();
    private static readonly ConditionalWeakTable<Command, StrongBox<int>> Interspersed = new();

    public static T WithUsage<T>(this T command, string usage) where T : Command
    {
        Usages.AddOrUpdate(command, usage);
        return command;
    }

    /// <summary>After <paramref name="positionals"/> positional arguments, everything else belongs to the container's command (docker's SetInterspersed(false)).</summary>
    public static T StopOptionsAfter<T>(this T command, int positionals) where T : Command
    {
        Interspersed.AddOrUpdate(command, new StrongBox<int>(positionals));
        return command;
    }

    public static string Of(Command command) => Usages.TryGetValue(command, out string? usage) ? usage : "[OPTIONS]";

    public static int? PositionalsBeforeStop(Command command) => Interspersed.TryGetValue(command, out var box) ? box.Value : null;
}
