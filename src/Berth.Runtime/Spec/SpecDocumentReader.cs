using System.Text;
using System.Text.Json;
using Berth.Runtime.Json;

namespace Berth.Runtime.Spec;

/// <summary>
/// Reads config.json into <see cref="RuntimeSpec"/> in one pass of a <see cref="Utf8JsonReader"/>, with the
/// serializer's semantics (camelCase names, case-sensitive, unknown fields ignored and skipped whatever their shape,
/// the last of a repeated field wins, JSON null clears a field, a missing one keeps its default, comments skipped,
/// trailing commas allowed).
/// </summary>
/// <remarks>
/// Why not the source-generated serializer: on its first use in a process it builds metadata for every spec type,
/// and in NativeAOT that reads custom attributes through reflection — about 1.5 ms of each container start, in
/// the init, on the critical path. Why not <see cref="JsonDocument"/> either: see <see cref="JsonReading"/>. The
/// serializer stays the reference (it writes config.json and reports parse errors with their position); a test
/// keeps the two in agreement for every property of every spec type.
/// </remarks>
public static class SpecDocumentReader
{
    // SpecJsonContext's leniency.
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses config.json text; throws <see cref="JsonException"/> on text the serializer would refuse.</summary>
    public static RuntimeSpec Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json));
    }

    /// <summary><see cref="Read(string)"/>, from UTF-8.</summary>
    public static RuntimeSpec Read(ReadOnlySpan<byte> json) => JsonReading.ReadObjectDocument<RuntimeSpec>(json, Options, SetSpec);

    private static void SetSpec(RuntimeSpec s, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "ociVersion": s.OciVersion = JsonReading.GetString(ref reader)!; break;
            case "process": s.Process = ReadProcess(ref reader); break;
            case "root": s.Root = JsonReading.ReadObject<SpecRoot>(ref reader, SetRoot); break;
            case "hostname": s.Hostname = JsonReading.GetString(ref reader); break;
            case "domainname": s.Domainname = JsonReading.GetString(ref reader); break;
            case "mounts": s.Mounts = JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => JsonReading.ReadObject<SpecMount>(ref e, SetMount)!)!; break;
            case "hooks": s.Hooks = JsonReading.ReadObject<SpecHooks>(ref reader, SetHooks); break;
            case "annotations": s.Annotations = JsonReading.ReadMap(ref reader); break;
            case "linux": s.Linux = JsonReading.ReadObject<SpecLinux>(ref reader, SetLinux); break;
        }
    }

    /// <summary>A process object (or JSON null) as config.json has it; the shim protocol carries one for exec.</summary>
    internal static SpecProcess? ReadProcess(ref Utf8JsonReader reader) => JsonReading.ReadObject<SpecProcess>(ref reader, SetProcess);

    private static void SetProcess(SpecProcess p, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "terminal": p.Terminal = reader.GetBoolean(); break;
            case "consoleSize": p.ConsoleSize = JsonReading.ReadObject<SpecConsoleSize>(ref reader, SetConsoleSize); break;
            case "user": p.User = JsonReading.ReadObject<SpecUser>(ref reader, SetUser)!; break;
            case "args": p.Args = JsonReading.ReadNullableStrings(ref reader)!; break;
            case "commandLine": p.CommandLine = JsonReading.GetString(ref reader); break;
            case "env": p.Env = JsonReading.ReadNullableStrings(ref reader); break;
            case "cwd": p.Cwd = JsonReading.GetString(ref reader)!; break;
            case "capabilities": p.Capabilities = JsonReading.ReadObject<SpecCapabilities>(ref reader, SetCapabilities); break;
            case "rlimits": p.Rlimits = JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => JsonReading.ReadObject<SpecRlimit>(ref e, SetRlimit)!); break;
            case "noNewPrivileges": p.NoNewPrivileges = reader.GetBoolean(); break;
            case "apparmorProfile": p.ApparmorProfile = JsonReading.GetString(ref reader); break;
            case "oomScoreAdj": p.OomScoreAdj = Int32OrNull(ref reader); break;
            case "selinuxLabel": p.SelinuxLabel = JsonReading.GetString(ref reader); break;
        }
    }

    private static void SetConsoleSize(SpecConsoleSize c, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "height": c.Height = reader.GetUInt32(); break;
            case "width": c.Width = reader.GetUInt32(); break;
        }
    }

    private static void SetUser(SpecUser u, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "uid": u.Uid = reader.GetUInt32(); break;
            case "gid": u.Gid = reader.GetUInt32(); break;
            case "umask": u.Umask = UInt32OrNull(ref reader); break;
            case "additionalGids": u.AdditionalGids = JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => e.GetUInt32()); break;
            case "username": u.Username = JsonReading.GetString(ref reader); break;
        }
    }

    private static void SetCapabilities(SpecCapabilities c, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "bounding": c.Bounding = JsonReading.ReadNullableStrings(ref reader); break;
            case "effective": c.Effective = JsonReading.ReadNullableStrings(ref reader); break;
            case "inheritable": c.Inheritable = JsonReading.ReadNullableStrings(ref reader); break;
            case "permitted": c.Permitted = JsonReading.ReadNullableStrings(ref reader); break;
            case "ambient": c.Ambient = JsonReading.ReadNullableStrings(ref reader); break;
        }
    }

    private static void SetRlimit(SpecRlimit r, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "type": r.Type = JsonReading.GetString(ref reader)!; break;
            case "hard": r.Hard = reader.GetUInt64(); break;
            case "soft": r.Soft = reader.GetUInt64(); break;
        }
    }

    private static void SetRoot(SpecRoot r, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "path": r.Path = JsonReading.GetString(ref reader)!; break;
            case "readonly": r.Readonly = reader.GetBoolean(); break;
        }
    }

    private static void SetMount(SpecMount m, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "destination": m.Destination = JsonReading.GetString(ref reader)!; break;
            case "type": m.Type = JsonReading.GetString(ref reader); break;
            case "source": m.Source = JsonReading.GetString(ref reader); break;
            case "options": m.Options = JsonReading.ReadNullableStrings(ref reader); break;
            case "uidMappings": m.UidMappings = IdMappings(ref reader); break;
            case "gidMappings": m.GidMappings = IdMappings(ref reader); break;
        }
    }

    private static void SetHooks(SpecHooks h, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "prestart": h.Prestart = Hooks(ref reader); break;
            case "createRuntime": h.CreateRuntime = Hooks(ref reader); break;
            case "createContainer": h.CreateContainer = Hooks(ref reader); break;
            case "startContainer": h.StartContainer = Hooks(ref reader); break;
            case "poststart": h.Poststart = Hooks(ref reader); break;
            case "poststop": h.Poststop = Hooks(ref reader); break;
        }
    }

    private static List<SpecHook>? Hooks(ref Utf8JsonReader reader) => JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => JsonReading.ReadObject<SpecHook>(ref e, SetHook)!);

    private static void SetHook(SpecHook h, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "path": h.Path = JsonReading.GetString(ref reader)!; break;
            case "args": h.Args = JsonReading.ReadNullableStrings(ref reader); break;
            case "env": h.Env = JsonReading.ReadNullableStrings(ref reader); break;
            case "timeout": h.Timeout = Int32OrNull(ref reader); break;
        }
    }

    private static void SetLinux(SpecLinux l, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "uidMappings": l.UidMappings = IdMappings(ref reader); break;
            case "gidMappings": l.GidMappings = IdMappings(ref reader); break;
            case "sysctl": l.Sysctl = JsonReading.ReadMap(ref reader); break;
            case "resources": l.Resources = JsonReading.ReadObject<SpecResources>(ref reader, SetResources); break;
            case "cgroupsPath": l.CgroupsPath = JsonReading.GetString(ref reader); break;
            case "namespaces": l.Namespaces = JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => JsonReading.ReadObject<SpecNamespace>(ref e, SetNamespace)!); break;
            case "devices": l.Devices = JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => JsonReading.ReadObject<SpecDevice>(ref e, SetDevice)!); break;
            case "seccomp": l.Seccomp = JsonReading.ReadObject<SpecSeccomp>(ref reader, SetSeccomp); break;
            case "rootfsPropagation": l.RootfsPropagation = JsonReading.GetString(ref reader); break;
            case "maskedPaths": l.MaskedPaths = JsonReading.ReadNullableStrings(ref reader); break;
            case "readonlyPaths": l.ReadonlyPaths = JsonReading.ReadNullableStrings(ref reader); break;
            case "mountLabel": l.MountLabel = JsonReading.GetString(ref reader); break;
        }
    }

    private static List<SpecIdMapping>? IdMappings(ref Utf8JsonReader reader) => JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => JsonReading.ReadObject<SpecIdMapping>(ref e, SetIdMapping)!);

    private static void SetIdMapping(SpecIdMapping m, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "containerID": m.ContainerId = reader.GetUInt32(); break;
            case "hostID": m.HostId = reader.GetUInt32(); break;
            case "size": m.Size = reader.GetUInt32(); break;
        }
    }

    private static void SetNamespace(SpecNamespace n, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "type": n.Type = JsonReading.GetString(ref reader)!; break;
            case "path": n.Path = JsonReading.GetString(ref reader); break;
        }
    }

    private static void SetDevice(SpecDevice d, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "type": d.Type = JsonReading.GetString(ref reader)!; break;
            case "path": d.Path = JsonReading.GetString(ref reader)!; break;
            case "major": d.Major = reader.GetInt64(); break;
            case "minor": d.Minor = reader.GetInt64(); break;
            case "fileMode": d.FileMode = UInt32OrNull(ref reader); break;
            case "uid": d.Uid = UInt32OrNull(ref reader); break;
            case "gid": d.Gid = UInt32OrNull(ref reader); break;
        }
    }

    private static void SetResources(SpecResources r, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "devices": r.Devices = JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => JsonReading.ReadObject<SpecDeviceRule>(ref e, SetDeviceRule)!); break;
            case "memory": r.Memory = JsonReading.ReadObject<SpecMemory>(ref reader, SetMemory); break;
            case "cpu": r.Cpu = JsonReading.ReadObject<SpecCpu>(ref reader, SetCpu); break;
            case "pids": r.Pids = JsonReading.ReadObject<SpecPids>(ref reader, static (p, n, ref e) => { if (n == "limit") { p.Limit = e.GetInt64(); } }); break;
            case "unified": r.Unified = JsonReading.ReadMap(ref reader); break;
        }
    }

    private static void SetDeviceRule(SpecDeviceRule d, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "allow": d.Allow = reader.GetBoolean(); break;
            case "type": d.Type = JsonReading.GetString(ref reader); break;
            case "major": d.Major = Int64OrNull(ref reader); break;
            case "minor": d.Minor = Int64OrNull(ref reader); break;
            case "access": d.Access = JsonReading.GetString(ref reader); break;
        }
    }

    private static void SetMemory(SpecMemory m, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "limit": m.Limit = Int64OrNull(ref reader); break;
            case "reservation": m.Reservation = Int64OrNull(ref reader); break;
            case "swap": m.Swap = Int64OrNull(ref reader); break;
            case "swappiness": m.Swappiness = UInt64OrNull(ref reader); break;
            case "disableOOMKiller": m.DisableOomKiller = BooleanOrNull(ref reader); break;
        }
    }

    private static void SetCpu(SpecCpu c, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "shares": c.Shares = UInt64OrNull(ref reader); break;
            case "quota": c.Quota = Int64OrNull(ref reader); break;
            case "period": c.Period = UInt64OrNull(ref reader); break;
            case "cpus": c.Cpus = JsonReading.GetString(ref reader); break;
            case "mems": c.Mems = JsonReading.GetString(ref reader); break;
        }
    }

    private static void SetSeccomp(SpecSeccomp s, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "defaultAction": s.DefaultAction = JsonReading.GetString(ref reader)!; break;
            case "defaultErrnoRet": s.DefaultErrnoRet = UInt32OrNull(ref reader); break;
            case "architectures": s.Architectures = JsonReading.ReadNullableStrings(ref reader); break;
            case "flags": s.Flags = JsonReading.ReadNullableStrings(ref reader); break;
            case "syscalls": s.Syscalls = JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => JsonReading.ReadObject<SpecSyscall>(ref e, SetSyscall)!); break;
        }
    }

    private static void SetSyscall(SpecSyscall s, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "names": s.Names = JsonReading.ReadNullableStrings(ref reader)!; break;
            case "action": s.Action = JsonReading.GetString(ref reader)!; break;
            case "errnoRet": s.ErrnoRet = UInt32OrNull(ref reader); break;
            case "args": s.Args = JsonReading.ReadList(ref reader, static (ref Utf8JsonReader e) => JsonReading.ReadObject<SpecSyscallArg>(ref e, SetSyscallArg)!); break;
        }
    }

    private static void SetSyscallArg(SpecSyscallArg a, string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "index": a.Index = reader.GetUInt32(); break;
            case "value": a.Value = reader.GetUInt64(); break;
            case "valueTwo": a.ValueTwo = reader.GetUInt64(); break;
            case "op": a.Op = JsonReading.GetString(ref reader)!; break;
        }
    }

    private static int? Int32OrNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();

    private static uint? UInt32OrNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetUInt32();

    private static long? Int64OrNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();

    private static ulong? UInt64OrNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetUInt64();

    private static bool? BooleanOrNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean();
}
