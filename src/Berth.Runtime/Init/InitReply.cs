using System.Text.Json;

namespace Berth.Runtime.Init;

/// <summary>The init's answer: <c>ready</c> once set up (it then waits on the exec fifo), or the step that failed.</summary>
public sealed class InitReply
{
    public const string ReadyType = "ready", ErrorType = "error";

    public string Type { get; set; } = ReadyType;

    public string? Step { get; set; }

    public int Errno { get; set; }

    public string? Message { get; set; }

    /// <summary>Reads what <see cref="RuntimeWriteJsonContext"/> wrote (see <see cref="InitRequest.Parse"/> for why by hand).</summary>
    public static InitReply Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        return new InitReply
        {
            Type = root.GetProperty("type").GetString()!,
            Step = root.TryGetProperty("step", out JsonElement step) ? step.GetString() : null,
            Errno = root.TryGetProperty("errno", out JsonElement errno) ? errno.GetInt32() : 0,
            Message = root.TryGetProperty("message", out JsonElement message) ? message.GetString() : null,
        };
    }
}
