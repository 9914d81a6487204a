using System.Text.Json;

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

    public static InitReply Parse(string json)
    {
        var reply = new InitReply();
        ProtocolJson.ReadObject(json, (ref Utf8JsonReader r, string name) =>
        {
            switch (name)
            {
                case "type": reply.Type = r.GetString()!; break;
                case "step": reply.Step = r.GetString(); break;
                case "errno": reply.Errno = r.GetInt32(); break;
                case "message": reply.Message = r.GetString(); break;
                default: r.Skip(); break;
            }
        });
        return reply;
    }
}
