using System.Runtime.CompilerServices;
using System.Text.Json;
using Berth.Runtime.Json;

namespace Berth.Runtime.Init;

/// <summary>
/// What the runtime sends its init over the sync socket; receiving it is also the go-ahead. Written and read by hand
/// with Utf8JsonWriter/Utf8JsonReader: the serializer would first build its metadata (through reflection under
/// NativeAOT) and its default encoder tables, about a millisecond of every container start between the two processes.
/// </summary>
public sealed class InitRequest
{
    public string ContainerId { get; set; } = "";

    /// <summary>The init's pid as the runtime sees it, for the state hooks receive.</summary>
    public int Pid { get; set; }

    /// <summary>The bundle directory: relative bind-mount sources are resolved against it.</summary>
    public string Bundle { get; set; } = "";

    /// <summary>Absolute host path of the root filesystem.</summary>
    public string Rootfs { get; set; } = "";

    /// <summary>
    /// When set, the init moves itself into the container's cgroup by writing "0" to each of these v1 <c>tasks</c>
    /// files (<see cref="Cgroups.ICgroupManager.SelfMoveFiles"/>), at its "cgroup" step; setup that does not need
    /// the cgroup runs before. Null when the runtime has moved it in already.
    /// </summary>
    public IReadOnlyList<string>? CgroupSelfMoveFiles { get; set; }

    /// <summary>
    /// config.json as the runtime read and validated it (<see cref="Spec.SpecText.ForInit"/>: one line of strict JSON,
    /// less a profile the runtime compiled). It goes into the request as it is, an object among the others: not a
    /// string, which would be escaped quote by quote on one side and unescaped on the other.
    /// </summary>
    public byte[] Spec { get; set; } = "{}"u8.ToArray();

    // Where the spec object lies in the request being parsed: Parse copies those bytes out.
    private Range _specRange;

    /// <summary>linux.seccomp compiled by the runtime (the init only installs it).</summary>
    public ProcessSetup.SeccompFilter? Seccomp { get; set; }

    /// <summary>The request line as UTF-8: it goes down the channel as it is, and the init reads these bytes.</summary>
    public byte[] ToJson()
    {
        if (Spec.AsSpan().IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            throw new InvalidOperationException("the init request's spec must be one line of JSON");
        }

        return ProtocolJson.WriteUtf8(256 + Spec.Length + ((Seccomp?.Program.Length ?? 0) * 4 / 3), writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("containerId"u8, ContainerId);
            writer.WriteNumber("pid"u8, Pid);
            writer.WriteString("bundle"u8, Bundle);
            writer.WriteString("rootfs"u8, Rootfs);
            if (CgroupSelfMoveFiles is not null)
            {
                writer.WriteStartArray("cgroupSelfMoveFiles"u8);
                foreach (string file in CgroupSelfMoveFiles)
                {
                    writer.WriteStringValue(file);
                }

                writer.WriteEndArray();
            }

            writer.WritePropertyName("spec"u8);
            writer.WriteRawValue(Spec, skipInputValidation: true);
            Seccomp?.Write(writer, "seccomp"u8);

            writer.WriteEndObject();
        });
    }

    /// <summary>The request line; anything but one object is a <see cref="JsonException"/>.</summary>
    public static InitRequest Parse(ReadOnlySpan<byte> json)
    {
        InitRequest request = JsonReading.ReadObjectDocument<InitRequest>(json, default, Set);
        request.Spec = json[request._specRange].ToArray();
        return request;
    }

    private static void Set(InitRequest request, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "containerId": request.ContainerId = JsonReading.GetString(ref reader)!; break;
            case "pid": request.Pid = reader.GetInt32(); break;
            case "bundle": request.Bundle = JsonReading.GetString(ref reader)!; break;
            case "rootfs": request.Rootfs = JsonReading.GetString(ref reader)!; break;
            case "cgroupSelfMoveFiles": request.CgroupSelfMoveFiles = JsonReading.ReadStrings(ref reader); break;
            case "spec": request._specRange = RawObject(ref reader); break;
            case "seccomp": request.Seccomp = ReadSeccomp(ref reader); break;
        }
    }

    /// <summary>The bytes of the object the reader stands on, which it skips.</summary>
    private static Range RawObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("init request: spec is not an object");
        }

        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        return start..(int)reader.BytesConsumed;
    }

    private static ProcessSetup.SeccompFilter ReadSeccomp(ref Utf8JsonReader reader)
    {
        var filter = new StrongBox<ProcessSetup.SeccompFilter>(new ProcessSetup.SeccompFilter([], 0));
        JsonReading.ReadProperties(ref reader, filter, static (filter, name, ref r) =>
        {
            switch (name)
            {
                case "program": filter.Value = filter.Value! with { Program = JsonReading.GetBytesFromBase64(ref r) }; break;
                case "flags": filter.Value = filter.Value! with { Flags = r.GetUInt32() }; break;
            }
        });
        return filter.Value!;
    }
}
