using System.CommandLine;
using Berth.Client;

namespace Berth.Cli.Commands.Container;

internal static class LogsCommand
{
    public static Command Create(CliContext cli)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow log output" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Show timestamps" };
        var since = new Option<string?>("--since") { Description = "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)" };
        var until = new Option<string?>("--until") { Description = "Show logs before a timestamp or relative" };
        var tail = new Option<string?>("--tail", "-n") { Description = "Number of lines to show from the end of the logs" };
        var details = new Option<bool>("--details") { Description = "Show extra details provided to logs" };
        var name = new Argument<string>("CONTAINER");
        var command = new Command("logs", "Fetch the logs of a container") { follow, timestamps, since, until, tail, details, name }.WithUsage("[OPTIONS] CONTAINER");
        return command.Runs(cli, async (parse, ct) =>
        {
            string id = parse.GetValue(name)!;
            var inspect = await cli.Client.ContainerInspectAsync(id, ct);
            using HttpResponseMessage response = await cli.Client.ContainerLogsAsync(id, new ContainerLogsOptions
            {
                Follow = parse.GetValue(follow),
                Timestamps = parse.GetValue(timestamps),
                Since = TimeArgument(parse.GetValue(since), cli.Now()),
                Until = TimeArgument(parse.GetValue(until), cli.Now()),
                Tail = parse.GetValue(tail) ?? "all",
            }, ct);
            await using Stream body = await response.Content.ReadAsStreamAsync(ct);
            Stream stdout = cli.OpenStdout();
            if (inspect.Config.Tty)
            {
                await body.CopyToAsync(stdout, ct);
            }
            else
            {
                await MultiplexedStream.CopyAsync(body, stdout, cli.OpenStderr(), ct);
            }

            await stdout.FlushAsync(ct);
            return 0;
        });
    }

    /// <summary>docker's timetypes.GetTimestamp: a Go duration ("10m", "1h30m") means that long ago; anything else goes as given.</summary>
    internal static string? TimeArgument(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (TryParseGoDuration(value, out TimeSpan ago))
        {
            return (now - ago).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)
            : value;
    }

    private static bool TryParseGoDuration(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var m = System.Text.RegularExpressions.Regex.Matches(value, @"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)");
        if (m.Count == 0 || string.Concat(m.Select(x => x.Value)) != value)
        {
            return false;
        }

        foreach (System.Text.RegularExpressions.Match part in m)
        {
            double n = double.Parse(part.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            duration += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                _ => TimeSpan.Zero,
            };
        }

        return true;
    }
}
