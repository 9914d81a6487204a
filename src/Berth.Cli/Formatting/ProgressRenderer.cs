using System.Globalization;
using Berth.Api.Streams;

namespace Berth.Cli.Formatting;

/// <summary>
/// docker's jsonmessage.DisplayJSONMessagesStream: on a terminal each layer ID keeps its own line, redrawn in place
/// with cursor movement and a progress bar; otherwise plain status lines, progress updates dropped.
/// </summary>
internal sealed class ProgressRenderer(TextWriter output, bool isTerminal, int terminalWidth, Func<DateTimeOffset>? clock = null)
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly Func<DateTimeOffset> _clock = clock ?? (() => DateTimeOffset.UtcNow);

    /// <exception cref="ProgressException">The message carries an error (errorDetail or error).</exception>
    public void Write(JsonMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Aux is not null)
        {
            return;
        }

        int diff = 0;
        if (!string.IsNullOrEmpty(message.Id) && (message.ProgressDetail is not null || !string.IsNullOrEmpty(message.Progress)))
        {
            if (!_lines.TryGetValue(message.Id, out int line))
            {
                // A new ID gets a new line at the bottom; older IDs are found by counting up from there.
                line = _lines.Count;
                _lines[message.Id] = line;
                if (isTerminal)
                {
                    output.Write('\n');
                }
            }

            diff = _lines.Count - line;
            if (isTerminal && diff > 0)
            {
                output.Write($"\u001b[{diff}A");
            }
        }
        else
        {
            // Anything that is not per-layer progress ends the set of lines being redrawn.
            _lines.Clear();
        }

        try
        {
            Display(message);
        }
        finally
        {
            if (!string.IsNullOrEmpty(message.Id) && isTerminal && diff > 0)
            {
                output.Write($"\u001b[{diff}B");
            }

            output.Flush();
        }
    }

    private void Display(JsonMessage m)
    {
        if (m.ErrorDetail is { } error)
        {
            throw new ProgressException(error.Message.Length > 0 ? error.Message : m.Error ?? "unknown error");
        }

        if (!string.IsNullOrEmpty(m.Error))
        {
            throw new ProgressException(m.Error);
        }

        string bar = m.ProgressDetail is { } detail ? Bar(detail) : "";
        string endl = "";
        if (isTerminal && string.IsNullOrEmpty(m.Stream) && m.ProgressDetail is not null)
        {
            output.Write("\u001b[2K\r");
            endl = "\r";
        }
        else if (m.ProgressDetail is not null && bar.Length > 0)
        {
            return;
        }

        if (!string.IsNullOrEmpty(m.Id))
        {
            output.Write(m.Id + ": ");
        }

        if (!string.IsNullOrEmpty(m.From))
        {
            output.Write($"(from {m.From}) ");
        }

        if (m.ProgressDetail is not null && isTerminal)
        {
            output.Write($"{m.Status} {bar}{endl}");
        }
        else if (!string.IsNullOrEmpty(m.Progress))
        {
            output.Write($"{m.Status} {m.Progress}{endl}");
        }
        else if (!string.IsNullOrEmpty(m.Stream))
        {
            output.Write(m.Stream + endl);
        }
        else
        {
            output.Write($"{m.Status}{endl}\n");
        }
    }

    /// <summary>docker's JSONProgress.String(): "[====>     ]  12.3MB/45.6MB 3s"; the bar only on terminals wider than 110.</summary>
    internal string Bar(ProgressDetail p)
    {
        long current = p.Current ?? 0;
        long total = p.Total ?? 0;
        if (current <= 0 && total <= 0)
        {
            return "";
        }

        if (total <= 0)
        {
            return string.IsNullOrEmpty(p.Units) ? HumanUnits.ProgressSize(current).PadLeft(8) : $"{current} {p.Units}";
        }

        int percentage = Math.Min(50, (int)((double)current / total * 100) / 2);
        string box = terminalWidth > 110 ? $"[{new string('=', percentage)}>{new string(' ', Math.Max(0, 50 - percentage))}] " : "";
        string numbers = "";
        if (p.HideCounts != true)
        {
            numbers = string.IsNullOrEmpty(p.Units)
                ? current > total ? HumanUnits.ProgressSize(current).PadLeft(8) : HumanUnits.ProgressSize(current).PadLeft(8) + "/" + HumanUnits.ProgressSize(total)
                : current > total ? $"{current} {p.Units}" : $"{current}/{total} {p.Units}";
        }

        string timeLeft = "";
        if (current > 0 && p.Start is > 0 and var start && percentage < 50 && terminalWidth > 50)
        {
            TimeSpan elapsed = _clock() - DateTimeOffset.FromUnixTimeSeconds(start);
            double left = elapsed.TotalSeconds / current * (total - current);
            timeLeft = " " + GoDuration((long)left);
        }

        return box + numbers + timeLeft;
    }

    /// <summary>Go's time.Duration.String() for whole seconds: "0s", "45s", "1m30s", "2h0m5s".</summary>
    internal static string GoDuration(long seconds)
    {
        if (seconds < 60)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        long h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
        return h > 0 ? $"{h}h{m}m{s}s" : $"{m}m{s}s";
    }
}
