using System.CommandLine;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Container;

internal static class PsCommand
{
    public static Command Create(CliContext cli)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display container IDs" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions provided" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var size = new Option<bool>("--size", "-s") { Description = "Display total file sizes" };
        var last = new Option<int?>("--last", "-n") { Description = "Show n last created containers (includes all states)" };
        var latest = new Option<bool>("--latest", "-l") { Description = "Show the latest created container (includes all states)" };
        var command = new Command("ps", "List containers") { all, quiet, filter, format, noTrunc, size, last, latest }.WithUsage("[OPTIONS]");
        command.Aliases.Add("ls");
        command.Aliases.Add("list");
        return command.Runs(cli, async (parse, ct) =>
        {
            string? fmt = parse.GetValue(format);
            bool withSize = parse.GetValue(size) || (fmt?.Contains(".Size", StringComparison.Ordinal) ?? false);
            int? limit = parse.GetValue(latest) ? 1 : parse.GetValue(last);
            var containers = await cli.Client.ContainerListAsync(parse.GetValue(all) || limit is not null, withSize, limit, Filters.ToJson(parse.GetValue(filter)), ct);
            string template = parse.GetValue(quiet) ? "{{.ID}}"
                : fmt ?? (parse.GetValue(size) ? ContainerRow.DefaultTableWithSize : ContainerRow.DefaultTable);
            DateTimeOffset now = cli.Now();
            bool truncate = !parse.GetValue(noTrunc);
            await cli.Out.WriteAsync(TableFormatter.Render(template, parse.GetValue(size) ? ContainerRow.DefaultTableWithSize : ContainerRow.DefaultTable,
                ContainerRow.Headers, containers.Select(c => new ContainerRow(c, truncate, now))));
            return 0;
        });
    }
}
