using System.Text.Json;

namespace Berth.Runtime.Init;

/// <summary>What the runtime sends its init over the sync socket; receiving it is also the go-ahead.</summary>
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
    /// The runtime moves us into the container's cgroup after sending this request and says so with
    /// <see cref="InitProcess.CgroupJoinedLine"/>; until then only setup that does not need the cgroup may run.
    /// </summary>
    public bool CgroupPending { get; set; }

    /// <summary>config.json exactly as the runtime read and validated it.</summary>
    public string SpecJson { get; set; } = "";

    /// <summary>linux.seccomp compiled by the runtime (the init only installs it).</summary>
    public ProcessSetup.SeccompFilter? Seccomp { get; set; }

    /// <summary>
    /// Reads what <see cref="RuntimeWriteJsonContext"/> wrote, from a <see cref="JsonDocument"/>: the serializer's
    /// reading side would build its metadata through reflection first, milliseconds of every container start.
    /// </summary>
    public static InitRequest Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        var request = new InitRequest
        {
            ContainerId = root.GetProperty("containerId").GetString()!,
            Pid = root.GetProperty("pid").GetInt32(),
            Bundle = root.GetProperty("bundle").GetString()!,
            Rootfs = root.GetProperty("rootfs").GetString()!,
            SpecJson = root.GetProperty("specJson").GetString()!,
            CgroupPending = root.TryGetProperty("cgroupPending", out JsonElement pending) && pending.GetBoolean(),
        };
        if (root.TryGetProperty("seccomp", out JsonElement seccomp))
        {
            request.Seccomp = new ProcessSetup.SeccompFilter(
                seccomp.GetProperty("program").GetBytesFromBase64(), seccomp.GetProperty("flags").GetUInt32());
        }

        return request;
    }
}
