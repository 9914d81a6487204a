using Berth.Cli.Commands;
using System.CommandLine;
using System.CommandLine.Parsing;

namespace Berth.Cli;

internal static class Program
{
    /// <summary>Read once, when the runtime's socket engine starts: set before any socket exists.</summary>
    internal const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> Main(string[] args)
    {
        // A command is one short conversation with the daemon: its socket continuations run on the event thread that
        // saw them complete instead of waking a thread-pool worker each time (measured: ~1-2 ms off `berth run`).
        // What the user's environment said stays what `-e NAME` and --env-file see.
        string? userValue = Environment.GetEnvironmentVariable(InlineSocketCompletions);
        Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
        using var cli = new CliContext(StandardWriter.For(1), StandardWriter.For(2), DaemonConnector.Connect)
        {
            Environment = name => name == InlineSocketCompletions ? userValue : Environment.GetEnvironmentVariable(name),
        };
        return await RunAsync(cli, args);
    }

    public static async Task<int> RunAsync(CliContext cli, string[] args)
    {
        Command root = CommandTree.Build(cli, args);
        string[] split = ArgumentSplitter.Split(root, args, out string? unknownFlag);
        ParseResult parse = root.Parse(split);
        cli.HostFlag = parse.GetValue(CommandTree.HostOption);
        if (unknownFlag is not null || parse.Errors.Count > 0)
        {
            return await ReportAsync(cli, parse, unknownFlag);
        }

        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = cli.Out, Error = cli.Err });
    }

    /// <summary>Parse errors as docker words them: unknown flags and bad values exit 125, missing arguments exit 1.</summary>
    private static async Task<int> ReportAsync(CliContext cli, ParseResult parse, string? unknownFlag)
    {
        string path = CliActions.PathOf(parse);
        string usage = $"Usage:  {path} {CommandUsage.Of(parse.CommandResult.Command)}";
        string? unknown = unknownFlag ?? parse.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-'));
        if (unknown is not null)
        {
            string message = unknown.StartsWith("--", StringComparison.Ordinal)
                ? $"unknown flag: {unknown.Split('=')[0]}"
                : $"unknown shorthand flag: '{unknown[1]}' in {unknown}";
            await cli.Err.WriteLineAsync($"{message}\n\n{usage}\n\nRun '{path} --help' for more information");
            return 125;
        }

        bool isGroup = CommandTree.IsRoot(parse.CommandResult.Command) || (parse.CommandResult.Command.Subcommands.Count > 0 && parse.CommandResult.Command.Action is null);
        if (isGroup && parse.UnmatchedTokens.Count == 0)
        {
            // `berth` or `berth container` alone prints the group's help, as docker does.
            string[] help = [.. parse.Tokens.Select(t => t.Value), "--help"];
            return await parse.RootCommandResult.Command.Parse(help).InvokeAsync(new InvocationConfiguration { Output = cli.Out, Error = cli.Err });
        }

        if (isGroup)
        {
            string typed = string.Join(' ', parse.UnmatchedTokens);
            await cli.Err.WriteLineAsync($"berth: unknown command: {path} {typed}\n\nRun '{path} --help' for more information");
            return 1;
        }

        ParseError first = parse.Errors[0];
        if (first.Message.Contains("Required argument missing", StringComparison.Ordinal))
        {
            await cli.Err.WriteLineAsync($"berth: '{path}' requires at least 1 argument\n\n{usage}\n\nSee '{path} --help' for more information");
            return 1;
        }

        await cli.Err.WriteLineAsync($"berth: {first.Message}\n\n{usage}\n\nRun '{path} --help' for more information");
        return 125;
    }
}
