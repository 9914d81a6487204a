using System.CommandLine;
using Berth.Api.Streams;
using Berth.Cli.Formatting;
using Berth.Client;

namespace Berth.Cli.Commands.Image;

/// <summary>rmi, tag, push, save, load, history.</summary>
internal static class ImageVerbs
{
    public static Command Remove(CliContext cli, string name = "rmi")
    {
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of the image" };
        var noPrune = new Option<bool>("--no-prune") { Description = "Do not delete untagged parents" };
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, "Remove one or more images") { force, noPrune, images }.WithUsage("[OPTIONS] IMAGE [IMAGE...]");
        return command.Runs(cli, async (parse, ct) =>
        {
            bool failed = false;
            foreach (string image in parse.GetValue(images)!)
            {
                try
                {
                    foreach (var item in await cli.Client.ImageRemoveAsync(image, parse.GetValue(force), parse.GetValue(noPrune), ct))
                    {
                        await cli.Out.WriteLineAsync(item.Untagged is not null ? "Untagged: " + item.Untagged : "Deleted: " + item.Deleted);
                    }
                }
                catch (BerthClientException ex)
                {
                    failed = true;
                    await cli.Err.WriteLineAsync(ex.DisplayMessage);
                }
            }

            return failed ? 1 : 0;
        });
    }

    public static Command Tag(CliContext cli)
    {
        var source = new Argument<string>("SOURCE_IMAGE[:TAG]");
        var target = new Argument<string>("TARGET_IMAGE[:TAG]");
        var command = new Command("tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE") { source, target }.WithUsage("SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]");
        return command.Runs(cli, async (parse, ct) =>
        {
            await cli.Client.ImageTagAsync(parse.GetValue(source)!, parse.GetValue(target)!, ct);
            return 0;
        });
    }

    public static Command Push(CliContext cli)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var allTags = new Option<bool>("--all-tags", "-a") { Description = "Push all tags of an image to the repository" };
        var image = new Argument<string>("NAME[:TAG]");
        var command = new Command("push", "Upload an image to a registry") { quiet, allTags, image }.WithUsage("[OPTIONS] NAME[:TAG]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string reference = parse.GetValue(image)!;
            if (!ImageNames.HasTagOrDigest(reference) && !parse.GetValue(allTags))
            {
                await cli.Out.WriteLineAsync("Using default tag: latest");
                reference += ":latest";
            }

            var renderer = new ProgressRenderer(parse.GetValue(quiet) ? TextWriter.Null : cli.Out, cli.StdoutIsTerminal, cli.TerminalWidth, cli.Now);
            await foreach (JsonMessage message in cli.Client.ImagePushAsync(reference, cancellationToken: ct))
            {
                renderer.Write(message);
            }

            if (parse.GetValue(quiet))
            {
                await cli.Out.WriteLineAsync(ImageNames.FullName(reference));
            }

            return 0;
        });
    }

    public static Command Save(CliContext cli)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write to a file, instead of STDOUT" };
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("save", "Save one or more images to a tar archive (streamed to STDOUT by default)") { output, images }.WithUsage("[OPTIONS] IMAGE [IMAGE...]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string? path = parse.GetValue(output);
            if (path is null && cli.StdoutIsTerminal)
            {
                throw new StatusException(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
            }

            using HttpResponseMessage response = await cli.Client.ImageSaveAsync(parse.GetValue(images)!, ct);
            await using Stream body = await response.Content.ReadAsStreamAsync(ct);
            if (path is null)
            {
                Stream stdout = cli.OpenStdout();
                await body.CopyToAsync(stdout, ct);
                await stdout.FlushAsync(ct);
                return 0;
            }

            // Write beside the target and rename, so a failed save leaves no half-written file.
            string temp = path + ".berth-tmp";
            try
            {
                await using (FileStream file = File.Create(temp))
                {
                    await body.CopyToAsync(file, ct);
                }

                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }

            return 0;
        });
    }

    public static Command Load(CliContext cli)
    {
        var input = new Option<string?>("--input", "-i") { Description = "Read from tar archive file, instead of STDIN" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the load output" };
        var command = new Command("load", "Load an image from a tar archive or STDIN") { input, quiet }.WithUsage("[OPTIONS]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string? path = parse.GetValue(input);
            if (path is null && cli.StdinIsTerminal)
            {
                throw new StatusException(1, "requested load from stdin, but stdin is empty");
            }

            await using Stream tar = path is null ? cli.OpenStdin() : File.OpenRead(path);
            var renderer = new ProgressRenderer(cli.Out, cli.StdoutIsTerminal && !parse.GetValue(quiet), cli.TerminalWidth, cli.Now);
            await foreach (JsonMessage message in cli.Client.ImageLoadAsync(tar, parse.GetValue(quiet), ct))
            {
                renderer.Write(message);
            }

            return 0;
        });
    }

    public static Command History(CliContext cli)
    {
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes and dates in human readable format", DefaultValueFactory = _ => true };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var image = new Argument<string>("IMAGE");
        var command = new Command("history", "Show the history of an image") { human, noTrunc, quiet, format, image }.WithUsage("[OPTIONS] IMAGE");
        return command.Runs(cli, async (parse, ct) =>
        {
            var items = await cli.Client.ImageHistoryAsync(parse.GetValue(image)!, ct);
            bool truncate = !parse.GetValue(noTrunc);
            DateTimeOffset now = cli.Now();
            string defaultTable = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
            string template = parse.GetValue(quiet) ? "{{.ID}}" : parse.GetValue(format) ?? defaultTable;
            var headers = new Dictionary<string, string>
            {
                ["ID"] = "IMAGE", ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["CreatedBy"] = "CREATED BY",
                ["Size"] = "SIZE", ["Comment"] = "COMMENT",
            };
            await cli.Out.WriteAsync(TableFormatter.Render(template, defaultTable, headers, items.Select(i => new HistoryRow(i, truncate, now))));
            return 0;
        });
    }
}
