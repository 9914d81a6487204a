using System.CommandLine;
using System.Text;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Engine;

/// <summary>system df, system prune, system events.</summary>
internal static class SystemVerbs
{
    public static Command DiskUsage(CliContext cli)
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show detailed information on space usage" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var command = new Command("df", "Show docker disk usage") { verbose, format }.WithUsage("[OPTIONS]");
        return command.Runs(cli, async (parse, ct) =>
        {
            var df = await cli.Client.DiskUsageAsync(ct);
            long imageSize = df.LayersSize;
            long activeImages = df.Images.Count(i => i.Containers > 0);
            long containerSize = df.Containers.Sum(c => c.SizeRw ?? 0);
            long activeContainers = df.Containers.Count(c => c.State == "running");
            var rows = new[]
            {
                new DiskUsageRow("Images", df.Images.Count, activeImages, imageSize, df.Images.Where(i => i.Containers <= 0).Sum(i => i.Size), imageSize),
                new DiskUsageRow("Containers", df.Containers.Count, activeContainers, containerSize, df.Containers.Where(c => c.State != "running").Sum(c => c.SizeRw ?? 0), containerSize),
                new DiskUsageRow("Local Volumes", df.Volumes.Count, 0, 0, 0, 0),
                new DiskUsageRow("Build Cache", df.BuildCache.Count, 0, 0, 0, 0),
            };
            var headers = new Dictionary<string, string> { ["Type"] = "TYPE", ["TotalCount"] = "TOTAL", ["Active"] = "ACTIVE", ["Size"] = "SIZE", ["Reclaimable"] = "RECLAIMABLE" };
            const string table = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
            await cli.Out.WriteAsync(TableFormatter.Render(parse.GetValue(format) ?? table, table, headers, rows));
            return 0;
        });
    }

    public static Command Prune(CliContext cli)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused images not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var filter = new Option<string[]>("--filter") { Description = "Provide filter values (e.g. \"label=<key>=<value>\")" };
        var volumes = new Option<bool>("--volumes") { Description = "Prune anonymous volumes" };
        var command = new Command("prune", "Remove unused data") { all, force, filter, volumes }.WithUsage("[OPTIONS]");
        return command.Runs(cli, async (parse, ct) =>
        {
            if (!parse.GetValue(force))
            {
                await cli.Out.WriteAsync("WARNING! This will remove:\n  - all stopped containers\n  - all dangling images\n\nAre you sure you want to continue? [y/N] ");
                string? answer = await Console.In.ReadLineAsync(ct);
                if (answer?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    return 0;
                }
            }

            string? filters = Commands.Filters.ToJson(parse.GetValue(filter));
            var containers = await cli.Client.ContainerPruneAsync(filters, ct);
            var imageFilters = parse.GetValue(all) ? Commands.Filters.ToJson([.. parse.GetValue(filter) ?? [], "dangling=false"]) : filters;
            var images = await cli.Client.ImagePruneAsync(imageFilters, ct);
            var text = new StringBuilder();
            if (containers.ContainersDeleted is { Count: > 0 } deleted)
            {
                text.Append("Deleted Containers:\n");
                foreach (string id in deleted)
                {
                    text.Append(id).Append('\n');
                }

                text.Append('\n');
            }

            if (images.ImagesDeleted is { Count: > 0 } removed)
            {
                text.Append("Deleted Images:\n");
                foreach (var item in removed)
                {
                    text.Append(item.Untagged is not null ? "untagged: " + item.Untagged : "deleted: " + item.Deleted).Append('\n');
                }

                text.Append('\n');
            }

            text.Append("Total reclaimed space: ").Append(HumanUnits.Size(containers.SpaceReclaimed + images.SpaceReclaimed)).Append('\n');
            await cli.Out.WriteAsync(text.ToString());
            return 0;
        });
    }

    public static Command Events(CliContext cli)
    {
        var since = new Option<string?>("--since") { Description = "Show all events created since timestamp" };
        var until = new Option<string?>("--until") { Description = "Stream events until this timestamp" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions provided" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var command = new Command("events", "Get real time events from the server") { since, until, filter, format }.WithUsage("[OPTIONS]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string? fmt = parse.GetValue(format);
            var template = fmt is null ? null : CliActions.ParseFormat(fmt == "json" ? "{{json .}}" : fmt);
            DateTimeOffset now = cli.Now();
            await foreach (var e in cli.Client.EventsAsync(Container.LogsCommand.TimeArgument(parse.GetValue(since), now),
                Container.LogsCommand.TimeArgument(parse.GetValue(until), now), Commands.Filters.ToJson(parse.GetValue(filter)), ct))
            {
                if (template is not null)
                {
                    using var doc = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(e, Api.Json.ApiJsonContext.Default.EventMessage));
                    await cli.Out.WriteLineAsync(template.Execute(doc.RootElement));
                    continue;
                }

                var time = DateTimeOffset.FromUnixTimeMilliseconds(e.TimeNano / 1_000_000).ToLocalTime();
                string attributes = string.Join(", ", e.Actor.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
                await cli.Out.WriteLineAsync($"{time:yyyy-MM-ddTHH:mm:ss.fffffffzzz} {e.Type} {e.Action} {e.Actor.Id}{(attributes.Length > 0 ? $" ({attributes})" : "")}");
            }

            return 0;
        });
    }
}
