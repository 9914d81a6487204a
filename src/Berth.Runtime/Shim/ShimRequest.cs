using System.Text.Json;
using Berth.Runtime.Init;
using Berth.Runtime.Json;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Shim;

/// <summary>
/// One request on the shim socket. <see cref="ExecId"/> names an exec'd process; null means the container's own.
/// The daemon writes it with <see cref="ShimJsonContext"/>; the shim reads it by hand (<see cref="Parse"/>), for the
/// reason <see cref="InitRequest"/> gives.
/// </summary>
internal sealed class ShimRequest
{
    public const string Start = "start", State = "state", Kill = "kill", Wait = "wait", Attach = "attach", Resize = "resize",
        Exec = "exec", CloseStdin = "close-stdin", Delete = "delete";

    public string Op { get; set; } = "";

    public string? ExecId { get; set; }

    public int Signal { get; set; }

    public bool All { get; set; }

    public bool Force { get; set; }

    public ushort Rows { get; set; }

    public ushort Columns { get; set; }

    /// <summary>exec: the process to start (its <c>terminal</c> decides pty or pipes).</summary>
    public SpecProcess? Process { get; set; }

    /// <summary>exec: give the process a stdin pipe (otherwise /dev/null).</summary>
    public bool OpenStdin { get; set; }

    /// <summary>attach (or exec with <see cref="AttachStreams"/>): which streams this connection carries.</summary>
    public bool Stdin { get; set; }

    public bool Stdout { get; set; }

    public bool Stderr { get; set; }

    /// <summary>attach: when this client's input ends, close the process's stdin (Docker's StdinOnce).</summary>
    public bool CloseStdinOnEof { get; set; }

    /// <summary>exec: the connection becomes the process's attach stream before the process starts, so no output is missed.</summary>
    public bool AttachStreams { get; set; }

    /// <summary>
    /// Reads what <see cref="ShimJsonContext"/> writes, by its rules: case-sensitive names, unknown ones skipped, null
    /// for JSON null; anything it would refuse is a <see cref="JsonException"/>.
    /// </summary>
    public static ShimRequest? Parse(ReadOnlySpan<byte> json) =>
        JsonReading.ReadDocument(json, default, static (ref Utf8JsonReader reader) => JsonReading.ReadObject<ShimRequest>(ref reader, Set)!);

    private static void Set(ShimRequest request, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "op": request.Op = JsonReading.GetString(ref reader)!; break;
            case "execId": request.ExecId = JsonReading.GetString(ref reader); break;
            case "signal": request.Signal = reader.GetInt32(); break;
            case "all": request.All = reader.GetBoolean(); break;
            case "force": request.Force = reader.GetBoolean(); break;
            case "rows": request.Rows = reader.GetUInt16(); break;
            case "columns": request.Columns = reader.GetUInt16(); break;
            case "process": request.Process = SpecDocumentReader.ReadProcess(ref reader); break;
            case "openStdin": request.OpenStdin = reader.GetBoolean(); break;
            case "stdin": request.Stdin = reader.GetBoolean(); break;
            case "stdout": request.Stdout = reader.GetBoolean(); break;
            case "stderr": request.Stderr = reader.GetBoolean(); break;
            case "closeStdinOnEof": request.CloseStdinOnEof = reader.GetBoolean(); break;
            case "attachStreams": request.AttachStreams = reader.GetBoolean(); break;
        }
    }
}
