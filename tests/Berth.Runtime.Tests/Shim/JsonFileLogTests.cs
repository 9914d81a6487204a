using System.Text;
using System.Text.Json;
using Berth.Runtime.Shim;

namespace Berth.Runtime.Tests.Shim;

public sealed class JsonFileLogTests : IDisposable
{
    private static readonly DateTime Time = new(2026, 11, 29, 3, 4, 5, DateTimeKind.Utc);
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-shim-log-").FullName;

    private string LogPath => Path.Combine(_dir, "c-json.log");

    [Fact]
    public void A_line_is_written_as_docker_writes_it()
    {
        using (var log = new JsonFileLog(LogPath))
        {
            log.Write("stdout", "hello"u8, partial: false, Time.AddTicks(1234567));
        }

        Assert.Equal("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-29T03:04:05.123456700Z\"}\n", File.ReadAllText(LogPath));
    }

    [Fact]
    public void A_partial_record_has_no_newline()
    {
        using (var log = new JsonFileLog(LogPath))
        {
            log.Write("stderr", "no end"u8, partial: true, Time);
        }

        Assert.Equal("{\"log\":\"no end\",\"stream\":\"stderr\",\"time\":\"2026-11-29T03:04:05.000000000Z\"}\n", File.ReadAllText(LogPath));
    }

    [Fact]
    public void Text_is_escaped_as_go_escapes_it()
    {
        using (var log = new JsonFileLog(LogPath))
        {
            log.Write("stdout", [.. "a\"b\\c\t<&>\r\u0001é\u2028"u8, 0xff, (byte)'z'], partial: true, Time);
        }

        string line = File.ReadAllText(LogPath);
        Assert.Contains("\"log\":\"a\\\"b\\\\c\\t\\u003c\\u0026\\u003e\\r\\u0001é\\u2028\\ufffdz\"", line, StringComparison.Ordinal);
        using JsonDocument parsed = JsonDocument.Parse(line);
        Assert.Equal("a\"b\\c\t<&>\r\u0001é\u2028\ufffdz", parsed.RootElement.GetProperty("log").GetString());
    }

    [Fact]
    public void Rotation_keeps_max_files_and_moves_older_ones_up()
    {
        using (var log = new JsonFileLog(LogPath, maxSize: 100, maxFiles: 3))
        {
            for (int i = 0; i < 10; i++)
            {
                log.Write("stdout", Encoding.ASCII.GetBytes($"line {i}"), partial: false, Time);
            }
        }

        // Each record is 77 bytes: a file takes two (rotated once it holds >= 100): the current file and two
        // rotated ones remain, the oldest dropped.
        Assert.Equal(["c-json.log", "c-json.log.1", "c-json.log.2"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["line 8", "line 9"], Lines(LogPath));
        Assert.Equal(["line 6", "line 7"], Lines(LogPath + ".1"));
        Assert.Equal(["line 4", "line 5"], Lines(LogPath + ".2"));
    }

    [Fact]
    public void One_file_is_truncated_instead_of_rotated()
    {
        using (var log = new JsonFileLog(LogPath, maxSize: 100, maxFiles: 1))
        {
            for (int i = 0; i < 5; i++)
            {
                log.Write("stdout", Encoding.ASCII.GetBytes($"line {i}"), partial: false, Time);
            }
        }

        Assert.Single(Directory.GetFiles(_dir));
        Assert.Equal(["line 4"], Lines(LogPath));
    }

    [Fact]
    public void Appends_to_an_existing_log()
    {
        File.WriteAllText(LogPath, "{\"log\":\"old\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-29T03:04:05.000000000Z\"}\n");
        using (var log = new JsonFileLog(LogPath))
        {
            log.Write("stdout", "new"u8, partial: false, Time);
        }

        Assert.Equal(["old", "new"], Lines(LogPath));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] Lines(string path) =>
        [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("log").GetString()!.TrimEnd('\n'))];
}
