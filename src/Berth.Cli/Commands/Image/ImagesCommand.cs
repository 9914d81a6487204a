using System.CommandLine;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

internal static class ImagesCommand
{
    public static Command Create(CliContext cli, string name = "images")
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all images (default hides intermediate images)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions provided" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var digests = new Option<bool>("--digests") { Description = "Show digests" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var repository = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(name, "List images") { all, quiet, filter, format, digests, noTrunc, repository }.WithUsage("[OPTIONS] [REPOSITORY[:TAG]]");
        return command.Runs(cli, async (parse, ct) =>
        {
            var filters = (parse.GetValue(filter) ?? []).ToList();
            if (parse.GetValue(repository) is { } reference)
            {
                filters.Add("reference=" + reference);
            }

            var images = await cli.Client.ImageListAsync(parse.GetValue(all), Filters.ToJson(filters), parse.GetValue(digests), ct);
            bool showDigests = parse.GetValue(digests);
            string defaultTable = showDigests ? ImageRow.DefaultTableWithDigests : ImageRow.DefaultTable;
            string template = parse.GetValue(quiet) ? "{{.ID}}" : parse.GetValue(format) ?? defaultTable;
            bool truncate = !parse.GetValue(noTrunc);
            DateTimeOffset now = cli.Now();
            var rows = images.OrderByDescending(i => i.Created).SelectMany(i => ImageRow.For(i, truncate, showDigests, now)).ToList();
            IEnumerable<ImageRow> shown = parse.GetValue(quiet) ? rows.DistinctBy(r => r.TryGetField("ID", out object? id) ? id : null) : rows;
            await cli.Out.WriteAsync(TableFormatter.Render(template, defaultTable, ImageRow.Headers, shown));
            return 0;
        });
    }
}
