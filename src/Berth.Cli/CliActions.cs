using System.CommandLine;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;
using Berth.Client;

namespace Berth.Cli;

/// <summary>Runs a command body and turns failures into docker's messages and exit codes.</summary>
internal static class CliActions
{
    public static Command Runs(this Command command, CliContext cli, Func<ParseResult, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await body(parse, ct);
            }
            catch (BerthClientException ex)
            {
                await cli.Err.WriteLineAsync(ex.DisplayMessage);
                return 1;
            }
            catch (UsageException ex)
            {
                await cli.Err.WriteLineAsync($"berth: {ex.Message}\n\nRun '{PathOf(parse)} --help' for more information");
                return 125;
            }
            catch (StatusException ex)
            {
                if (ex.Message.Length > 0)
                {
                    await cli.Err.WriteLineAsync(ex.Message);
                }

                return ex.Status;
            }
            catch (TemplateException ex)
            {
                await cli.Err.WriteLineAsync(ex.Message.Contains("executing", StringComparison.Ordinal) ? ex.Message : "template parsing error: " + ex.Message);
                return 1;
            }
            catch (ProgressException ex)
            {
                await cli.Err.WriteLineAsync(ex.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>"berth container run" for the command the user typed.</summary>
    public static string PathOf(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, Commands.CommandTree.IsRoot(result.Command) ? Commands.CommandTree.RootName : result.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>Parses a --format value; "template parsing error: …" with <paramref name="status"/> when it is bad (docker: 64 for version/info).</summary>
    public static GoTemplate ParseFormat(string format, string name = "", int status = 1)
    {
        try
        {
            return GoTemplate.Parse(format.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal), name);
        }
        catch (TemplateException ex)
        {
            throw new StatusException(status, "template parsing error: " + ex.Message);
        }
    }
}
