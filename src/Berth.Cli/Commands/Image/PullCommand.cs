using System.CommandLine;
using Berth.Api.Streams;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

internal static class PullCommand
{
    public static Command Create(CliContext cli)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var platform = new Option<string?>("--platform") { Description = "Set platform if server is multi-platform capable" };
        var allTags = new Option<bool>("--all-tags", "-a") { Description = "Download all tagged images in the repository" };
        var name = new Argument<string>("NAME[:TAG|@DIGEST]");
        var command = new Command("pull", "Download an image from a registry") { quiet, platform, allTags, name }.WithUsage("[OPTIONS] NAME[:TAG|@DIGEST]");
        return command.Runs(cli, async (parse, ct) =>
        {
            string reference = parse.GetValue(name)!;
            if (!ImageNames.HasTagOrDigest(reference))
            {
                await cli.Out.WriteLineAsync("Using default tag: latest");
            }

            await PullAsync(cli, reference, parse.GetValue(platform), cli.Out, cli.StdoutIsTerminal, parse.GetValue(quiet), ct);
            await cli.Out.WriteLineAsync(ImageNames.FullName(reference));
            return 0;
        });
    }

    /// <summary>Pulls with docker's progress display on <paramref name="output"/>; an error inside the stream throws <see cref="ProgressException"/>.</summary>
    public static async Task PullAsync(CliContext cli, string reference, string? platform, TextWriter output, bool isTerminal, bool quiet, CancellationToken cancellationToken)
    {
        var renderer = new ProgressRenderer(quiet ? TextWriter.Null : output, isTerminal, cli.TerminalWidth, cli.Now);
        await foreach (JsonMessage message in cli.Client.ImagePullAsync(reference, platform, cancellationToken: cancellationToken))
        {
            renderer.Write(message);
        }
    }
}
