using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Runtime;
using Berth.Runtime.State;

namespace Berth.RuntimeCli.Commands;

internal static class ListCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var format = new Option<string>("--format", "-f") { Description = "select one of: table or json (default: \"table\")", DefaultValueFactory = _ => "table" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "display only container IDs" };
        var command = new Command("list", "lists containers started by berth-runtime with the given root") { format, quiet };
        command.Aliases.Add("ls");
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            IReadOnlyList<OciState> states = runtime.List();
            if (parse.GetValue(quiet))
            {
                foreach (OciState state in states)
                {
                    Console.WriteLine(state.Id);
                }
            }
            else if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(states.ToList(), RuntimeJsonContext.Default.ListOciState));
            }
            else
            {
                PrintTable(states);
            }

            return 0;
        }));
        return command;
    }

    private static void PrintTable(IReadOnlyList<OciState> states)
    {
        string[][] rows =
        [
            ["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"],
            .. states.Select(s => new[]
            {
                s.Id, s.Pid.ToString(CultureInfo.InvariantCulture), s.Status, s.Bundle,
                s.Created?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) ?? "", s.Owner ?? "",
            }),
        ];
        int[] widths = [.. Enumerable.Range(0, 6).Select(c => rows.Max(r => r[c].Length))];
        foreach (string[] row in rows)
        {
            Console.WriteLine(string.Join("   ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))));
        }
    }
}
