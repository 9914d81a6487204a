using System.Text.Json;
using Berth.Runtime.Init;

namespace Berth.Runtime.Shim;

/// <summary>
/// What the shim knows of the container's process (or an exec'd one): the truth after a daemon restart. The shim
/// writes it by hand, exactly as <see cref="ShimJsonContext"/> would (the daemon reads it with that), for the reason
/// <see cref="InitRequest"/> gives.
/// </summary>
public sealed class ShimState
{
    public const string Created = "created", Running = "running", Stopped = "stopped";

    public string Id { get; set; } = "";

    /// <summary>Null for the container's own process.</summary>
    public string? ExecId { get; set; }

    public int Pid { get; set; }

    /// <summary>created, running or stopped.</summary>
    public string Status { get; set; } = Created;

    /// <summary>Set once stopped: the exit code, 128 + signal when killed by one.</summary>
    public int? ExitCode { get; set; }

    public bool OomKilled { get; set; }

    public bool Tty { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The shim's own pid (0 when read from exit.json after the shim has gone).</summary>
    public int ShimPid { get; set; }

    /// <summary>exit.json's content.</summary>
    internal byte[] ToJson() => ProtocolJson.WriteUtf8(256, Write);

    /// <summary>The state as one object, also inside a <see cref="ShimResponse"/>.</summary>
    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        if (ExecId is not null)
        {
            writer.WriteString("execId"u8, ExecId);
        }

        writer.WriteNumber("pid"u8, Pid);
        writer.WriteString("status"u8, Status);
        if (ExitCode is { } exitCode)
        {
            writer.WriteNumber("exitCode"u8, exitCode);
        }

        writer.WriteBoolean("oomKilled"u8, OomKilled);
        writer.WriteBoolean("tty"u8, Tty);
        if (StartedAt is { } startedAt)
        {
            writer.WriteString("startedAt"u8, startedAt);
        }

        if (FinishedAt is { } finishedAt)
        {
            writer.WriteString("finishedAt"u8, finishedAt);
        }

        writer.WriteNumber("shimPid"u8, ShimPid);
        writer.WriteEndObject();
    }
}
