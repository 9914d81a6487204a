using Berth.Core.Errors;
using Berth.Runtime.Init;

namespace Berth.Runtime.Shim;

/// <summary>
/// The one line a shim writes on its stdout to its launcher: ready (with pids) or why it failed. Written by hand,
/// exactly as <see cref="ShimJsonContext"/> would (the launcher reads it with that), for the reason
/// <see cref="InitRequest"/> gives.
/// </summary>
internal sealed class ShimReadiness
{
    public bool Ready { get; set; }

    public int ShimPid { get; set; }

    public int Pid { get; set; }

    public ErrorKind? ErrorKind { get; set; }

    public string? Error { get; set; }

    public byte[] ToJson()
    {
        return ProtocolJson.WriteUtf8(128 + (Error?.Length ?? 0), writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ready"u8, Ready);
            writer.WriteNumber("shimPid"u8, ShimPid);
            writer.WriteNumber("pid"u8, Pid);
            ShimResponse.WriteError(writer, ErrorKind, Error);
            writer.WriteEndObject();
        });
    }
}
