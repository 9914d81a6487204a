using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Testing;

namespace Berth.Integration.Tests.Engines;

/// <summary>
/// Engines read the runtime's <c>--log FILE --log-format json</c> to report why a call failed: containerd's shim
/// (go-runc) decodes each line into <c>{level, msg string; time time.Time}</c>, and Go's <c>time.Time</c> parses the
/// RAW bytes between the quotes as RFC 3339 — a JSON escape such as <c>\u002B</c> for '+' makes the whole entry
/// unreadable and dockerd answers "unable to retrieve OCI runtime error (parsing time …)" instead of the message.
/// runc (logrus) writes one object per line, newline-terminated, <c>"time":"2006-01-02T15:04:05Z07:00"</c>.
/// </summary>
[Trait("Category", "Privileged")]
public sealed partial class RuntimeLogFormatTests
{
    [Fact]
    public async Task Json_log_lines_of_berth_runtime_decode_the_way_containerd_reads_them()
    {
        Requires.Root().Runtime();
        await AssertJsonLogDecodesAsync(RuntimeRunner.RuntimeUnderTestPath!);
    }

    [Fact]
    public async Task Json_log_lines_of_runc_decode_the_way_containerd_reads_them()
    {
        Requires.Root().Runc();
        await AssertJsonLogDecodesAsync(RuntimeRunner.RuncPath);
    }

    [GeneratedRegex("""^\{.*"time":"(?<time>[^"\\]*)".*\}$""")]
    private static partial Regex TimeField();

    /// <summary>What Go's time.Parse(time.RFC3339, …) accepts: fractional seconds optional, Z or ±hh:mm.</summary>
    [GeneratedRegex("""^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$""")]
    private static partial Regex Rfc3339();

    private static async Task AssertJsonLogDecodesAsync(string runtimePath)
    {
        string dir = Directory.CreateTempSubdirectory("berth-logfmt-").FullName;
        try
        {
            string bundle = Directory.CreateDirectory(Path.Combine(dir, "bundle-without-config")).FullName;
            string log = Path.Combine(dir, "log.json");
            // Exactly what the shim runs, with a bundle that cannot be created: the runtime must log an error.
            ProcessResult result = await ChildProcess.RunAsync(
                runtimePath,
                ["--root", Path.Combine(dir, "root"), "--log", log, "--log-format", "json", "create", "--bundle", bundle, "--pid-file", Path.Combine(dir, "init.pid"), "logfmt"]);
            Assert.True(result.ExitCode != 0, result.ToString());

            string text = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
            string context = $"{result}\n--- {log} ---\n{text}";
            Assert.True(text.Length > 0, $"nothing logged\n{context}");
            Assert.True(text.EndsWith('\n'), $"the last log entry is not newline-terminated (logrus ends every entry with \\n)\n{context}");
            string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (string line in lines)
            {
                using JsonDocument entry = JsonDocument.Parse(line);
                Assert.True(entry.RootElement.TryGetProperty("level", out JsonElement level) && level.ValueKind == JsonValueKind.String, $"no string level in {line}\n{context}");
                Assert.True(entry.RootElement.TryGetProperty("msg", out JsonElement msg) && msg.ValueKind == JsonValueKind.String, $"no string msg in {line}\n{context}");
                Match time = TimeField().Match(line);
                Assert.True(time.Success, $"no \"time\" string free of JSON escapes in {line}\n{context}");
                Assert.True(Rfc3339().IsMatch(time.Groups["time"].Value), $"time {time.Groups["time"].Value} is not RFC 3339 as Go parses it\n{context}");
            }

            Assert.Contains(lines, line => line.Contains("\"level\":\"error\"", StringComparison.Ordinal));
        }
        finally
        {
            await Berth.Testing.Engines.ProcessTools.DeleteTreeAsync(dir);
        }
    }
}
