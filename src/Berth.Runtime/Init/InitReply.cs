using System.Text;
using System.Text.Json;
using Berth.Runtime.Json;

namespace Berth.Runtime.Init;

/// <summary>
/// The init's answer: <c>ready</c> once set up (it then waits on the exec fifo), or the step that failed. JSON by
/// hand, as <see cref="InitRequest"/> says why.
/// </summary>
public sealed class InitReply
{
    public const string ReadyType = "ready", ErrorType = "error";

    public string Type { get; set; } = ReadyType;

    public string? Step { get; set; }

    public int Errno { get; set; }

    public string? Message { get; set; }

    public string ToJson()
    {
        // The reply of every successful start, as a constant: the writer's first string would build the default
        // encoder's tables, in the init, for this one line.
        if (Type == ReadyType && Step is null && Errno == 0 && Message is null)
        {
            return """{"type":"ready","errno":0}""";
        }

        return ProtocolJson.Write(128 + (Message?.Length ?? 0), writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, Type);
            if (Step is not null)
            {
                writer.WriteString("step"u8, Step);
            }

            writer.WriteNumber("errno"u8, Errno);
            if (Message is not null)
            {
                writer.WriteString("message"u8, Message);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>One reply line; anything but one object is a <see cref="JsonException"/>.</summary>
    public static InitReply Parse(string json) =>
        JsonReading.ReadObjectDocument<InitReply>(Encoding.UTF8.GetBytes(json), default, Set);

    private static void Set(InitReply reply, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "type": reply.Type = JsonReading.GetString(ref reader)!; break;
            case "step": reply.Step = JsonReading.GetString(ref reader); break;
            case "errno": reply.Errno = reader.GetInt32(); break;
            case "message": reply.Message = JsonReading.GetString(ref reader); break;
        }
    }
}
