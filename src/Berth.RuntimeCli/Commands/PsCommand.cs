using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime;

namespace Berth.RuntimeCli.Commands;

internal static class PsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var format = new Option<string>("--format", "-f") { Description = "select one of: table or json (default: \"table\")", DefaultValueFactory = _ => "table" };
        var id = new Argument<string>("container-id");
        var psArgs = new Argument<string[]>("ps-options") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("ps", "ps displays the processes running inside a container") { format, id, psArgs };
        command.SetAction(parse => RuntimeCommandLine.Execute(parse, globals, (runtime, _) =>
        {
            IReadOnlyList<int> pids = runtime.Pids(parse.GetValue(id)!);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(pids.ToList(), RuntimeJsonContext.Default.ListInt32));
                return 0;
            }

            string[] options = parse.GetValue(psArgs) is { Length: > 0 } given ? given : ["-ef"];
            return PrintPs(options, pids);
        }));
        return command;
    }

    /// <summary>Runs ps(1) like runc does and keeps the header plus the lines whose PID is in the container.</summary>
    private static int PrintPs(string[] options, IReadOnlyList<int> pids)
    {
        var start = new ProcessStartInfo("ps") { RedirectStandardOutput = true };
        foreach (string option in options)
        {
            start.ArgumentList.Add(option);
        }

        using Process ps = Process.Start(start) ?? throw Errors.Internal("could not start ps");
        string[] lines = ps.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        ps.WaitForExit();
        if (lines.Length == 0)
        {
            return ps.ExitCode;
        }

        int column = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (column < 0)
        {
            throw Errors.InvalidArgument("couldn't find PID field in ps output");
        }

        Console.WriteLine(lines[0]);
        var set = pids.ToHashSet();
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > column && int.TryParse(fields[column], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && set.Contains(pid))
            {
                Console.WriteLine(line);
            }
        }

        return 0;
    }
}
