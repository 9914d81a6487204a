using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Init;

namespace Berth.Runtime.Shim;

/// <summary>
/// The reply to a <see cref="ShimRequest"/>: an error, or the process's state. The shim writes it by hand, exactly as
/// <see cref="ShimJsonContext"/> would (the daemon reads it with that), for the reason <see cref="InitRequest"/> gives.
/// </summary>
internal sealed class ShimResponse
{
    public ErrorKind? ErrorKind { get; set; }

    public string? Error { get; set; }

    public ShimState? State { get; set; }

    public static ShimResponse Failure(Exception ex) => new() { ErrorKind = BerthException.KindOf(ex), Error = ex.Message };

    public byte[] ToJson()
    {
        return ProtocolJson.WriteUtf8(256 + (Error?.Length ?? 0), writer =>
        {
            writer.WriteStartObject();
            WriteError(writer, ErrorKind, Error);
            if (State is not null)
            {
                writer.WritePropertyName("state"u8);
                State.Write(writer);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary><c>errorKind</c> (the member's name, as the serializer's enum converter writes it) and <c>error</c>, each when set.</summary>
    internal static void WriteError(Utf8JsonWriter writer, ErrorKind? kind, string? error)
    {
        if (kind is { } k)
        {
            writer.WriteString("errorKind"u8, k.ToString());
        }

        if (error is not null)
        {
            writer.WriteString("error"u8, error);
        }
    }
}
