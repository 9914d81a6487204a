using System.Text;
using Berth.Daemon.Backends;
using Berth.Daemon.Containers;

namespace Berth.Daemon.Tests.Containers;

public sealed class JsonLogReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-logs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Line(string text, string stream, int second) =>
        $"{{\"log\":\"{text}\\n\",\"stream\":\"{stream}\",\"time\":\"2026-11-29T03:00:{second:00}.000000001Z\"}}\n";

    private static async Task<List<string>> ReadAsync(string path, LogsOptions options, Func<bool>? running = null)
    {
        List<string> lines = [];
        await foreach (LogEntry entry in JsonLogReader.ReadAsync(path, options, running ?? (() => false), CancellationToken.None))
            lines.Add($"{entry.Stream}:{Encoding.UTF8.GetString(entry.Line.Span)}");
        return lines;
    }

    [Fact]
    public async Task Rotated_files_are_read_oldest_first_with_stream_filters_and_tail()
    {
        string path = Path.Combine(_dir, "c-json.log");
        await File.WriteAllTextAsync(path + ".2", Line("one", "stdout", 1), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(path + ".1", Line("two", "stderr", 2), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(path, Line("three", "stdout", 3) + "{\"log\":\"torn", TestContext.Current.CancellationToken);
        var all = new LogsOptions { Stdout = true, Stderr = true };
        Assert.Equal(["1:one\n", "2:two\n", "1:three\n"], await ReadAsync(path, all));
        Assert.Equal(["1:one\n", "1:three\n"], await ReadAsync(path, all with { Stderr = false }));
        Assert.Equal(["1:three\n"], await ReadAsync(path, all with { Tail = 1 }));
        Assert.Equal(["2:two\n"], await ReadAsync(path, all with { Since = DateTimeOffset.Parse("2026-11-29T03:00:02Z"), Until = DateTimeOffset.Parse("2026-11-29T03:00:02.5Z") }));
    }

    [Fact]
    public async Task Follow_delivers_lines_written_later_and_ends_when_the_container_stops()
    {
        string path = Path.Combine(_dir, "f-json.log");
        await File.WriteAllTextAsync(path, Line("a", "stdout", 1), TestContext.Current.CancellationToken);
        bool running = true;
        var lines = new List<string>();
        Task reading = Task.Run(async () =>
        {
            await foreach (LogEntry entry in JsonLogReader.ReadAsync(path, new LogsOptions { Stdout = true, Stderr = true, Follow = true }, () => running, CancellationToken.None))
                lines.Add(Encoding.UTF8.GetString(entry.Line.Span));
        }, TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await File.AppendAllTextAsync(path, Line("b", "stdout", 2), TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        running = false;
        await reading.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(["a\n", "b\n"], lines);
    }
}
