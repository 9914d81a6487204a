using System.Text.Json;
using Berth.Runtime.Init;
using Berth.Runtime.Spec;

namespace Berth.Runtime.State;

/// <summary>
/// What <c>--root/&lt;id&gt;/state.json</c> keeps between runtime invocations. Written by hand, byte for byte as
/// <see cref="RuntimeJsonContext"/> writes it (which reads it back), for the reason <see cref="InitRequest"/> gives:
/// every container start writes one, in a shim that has not used the serializer.
/// </summary>
public sealed class ContainerState
{
    public string Id { get; set; } = "";

    public int Pid { get; set; }

    /// <summary>/proc/PID/stat start time of the init, so a recycled pid is never mistaken for it.</summary>
    public ulong StartTime { get; set; }

    public string Bundle { get; set; } = "";

    public string Rootfs { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    /// <summary>The container's path below each cgroup hierarchy root.</summary>
    public string CgroupPath { get; set; } = "";

    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>
    /// What exec needs from the config as it was at create (runc keeps its config in its state too): the
    /// configured process, the namespace types, and the compiled seccomp filter, so an exec parses no config.json
    /// and compiles no profile.
    /// </summary>
    public SpecProcess? Process { get; set; }

    public List<string>? NamespaceTypes { get; set; }

    public ProcessSetup.SeccompFilter? Seccomp { get; set; }

    /// <summary>The bundle's hooks as they were at create; start and delete run poststart and poststop from here.</summary>
    public SpecHooks? Hooks { get; set; }

    /// <summary>state.json's content.</summary>
    internal byte[] ToJson() => ProtocolJson.WriteUtf8(1024, Write);

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        SpecJsonWriter.WriteString(writer, "id"u8, Id);
        writer.WriteNumber("pid"u8, Pid);
        writer.WriteNumber("startTime"u8, StartTime);
        SpecJsonWriter.WriteString(writer, "bundle"u8, Bundle);
        SpecJsonWriter.WriteString(writer, "rootfs"u8, Rootfs);
        writer.WriteString("created"u8, Created);
        SpecJsonWriter.WriteString(writer, "cgroupPath"u8, CgroupPath);
        if (Annotations is not null)
        {
            writer.WriteStartObject("annotations"u8);
            foreach ((string key, string value) in Annotations)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        SpecJsonWriter.WriteProcess(writer, "process"u8, Process);
        SpecJsonWriter.WriteStrings(writer, "namespaceTypes"u8, NamespaceTypes);
        Seccomp?.Write(writer, "seccomp"u8);
        SpecJsonWriter.WriteHooks(writer, "hooks"u8, Hooks);
        writer.WriteEndObject();
    }
}
