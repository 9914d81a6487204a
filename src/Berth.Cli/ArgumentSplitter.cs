using System.CommandLine;

namespace Berth.Cli;

/// <summary>
/// Rewrites argv before System.CommandLine sees it, to get docker's (pflag's) rules: short flags bundle ("-it",
/// "-eA=1"), and for run/create/exec option parsing stops at the first positional after the image or container,
/// so `berth run busybox ls -l` passes "-l" to ls (a "--" is inserted there).
/// </summary>
internal static class ArgumentSplitter
{
    public static string[] Split(Command root, IReadOnlyList<string> args) => Split(root, args, out _);

    /// <param name="unknownFlag">The first flag the command does not know, as typed (docker reports it before anything else).</param>
    public static string[] Split(Command root, IReadOnlyList<string> args, out string? unknownFlag)
    {
        unknownFlag = null;
        var result = new List<string>(args.Count + 2);
        Command command = root;
        int positionals = 0;
        bool commandsDone = false;
        for (int i = 0; i < args.Count; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                result.AddRange(args.Skip(i));
                break;
            }

            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                result.Add(token);
                Option? option = Find(command, token.Split('=')[0]);
                if (option is null && token != "--help")
                {
                    unknownFlag ??= token;
                }

                if (option is not null && !token.Contains('=', StringComparison.Ordinal) && TakesValue(option) && i + 1 < args.Count)
                {
                    result.Add(args[++i]);
                }

                continue;
            }

            if (token.Length > 1 && token[0] == '-')
            {
                // A short cluster: each letter a flag until one takes a value (attached or the next token).
                for (int c = 1; c < token.Length; c++)
                {
                    string name = "-" + token[c];
                    Option? option = Find(command, name);
                    result.Add(name);
                    if (option is not null && TakesValue(option))
                    {
                        if (c + 1 < token.Length)
                        {
                            result.Add(token[(c + 1)..]);
                        }
                        else if (i + 1 < args.Count)
                        {
                            result.Add(args[++i]);
                        }

                        break;
                    }

                    if (option is null)
                    {
                        if (!(token is "-h" or "-?"))
                        {
                            unknownFlag ??= c == 1 ? token : "-" + token[c..];
                        }

                        // Unknown: keep the original token so the error names what the user typed.
                        result.RemoveAt(result.Count - 1);
                        result.Add(c == 1 ? token : "-" + token[c..]);
                        break;
                    }
                }

                continue;
            }

            if (!commandsDone && command.Subcommands.FirstOrDefault(s => s.Name == token || s.Aliases.Contains(token)) is { } sub)
            {
                command = sub;
                result.Add(token);
                continue;
            }

            commandsDone = true;
            result.Add(token);
            positionals++;
            if (CommandUsage.PositionalsBeforeStop(command) is { } stop && positionals == stop && i + 1 < args.Count)
            {
                result.Add("--");
                result.AddRange(args.Skip(i + 1));
                break;
            }
        }

        return [.. result];
    }

    private static Option? Find(Command command, string name)
    {
        for (Command? c = command; c is not null; c = null)
        {
            foreach (Option option in c.Options)
            {
                if (option.Name == name || option.Aliases.Contains(name))
                {
                    return option;
                }
            }
        }

        return RecursiveOptions.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name));
    }

    /// <summary>Options declared Recursive on the root (-H); registered by the command tree.</summary>
    public static List<Option> RecursiveOptions { get; } = [];

    private static bool TakesValue(Option option) => option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0;
}
