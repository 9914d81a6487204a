using System.Text;
using System.Text.Json;

namespace Berth.RuntimeCli;

/// <summary>
/// runc-style logging: errors always reach stderr; with --log they are also appended to the file, in JSON
/// lines ({"level","msg","time"}) that containerd and conmon parse, or logrus-like text.
/// </summary>
internal sealed class RuntimeLog(string? path, bool json, bool debug)
{
    public void Error(string message)
    {
        Console.Error.WriteLine(message);
        Append("error", message);
    }

    public void Warning(string message)
    {
        Console.Error.WriteLine(message);
        Append("warning", message);
    }

    public void Debug(string message)
    {
        if (debug)
        {
            Append("debug", message);
        }
    }

    private void Append(string level, string message)
    {
        if (path is null)
        {
            return;
        }

        // RFC 3339 in UTC, unescaped: Go's time.Time (containerd, conmon) parses the raw JSON string.
        string time = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        string line = json ? JsonLine(level, message, time) : $"time=\"{time}\" level={level} msg={JsonSerializer.Serialize(message, CliJsonContext.Default.String)}";
        try
        {
            File.AppendAllText(path, line + "\n");
        }
        catch (IOException)
        {
            // The log is best effort; the error already went to stderr.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string JsonLine(string level, string message, string time)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("level", level);
            writer.WriteString("msg", message);
            writer.WriteString("time", time);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
