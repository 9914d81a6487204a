using System.Text.Json;

namespace Berth.Runtime.Spec;

/// <summary>
/// Reads config.json into <see cref="RuntimeSpec"/> straight from a <see cref="JsonDocument"/>, with the
/// serializer's semantics (camelCase names, case-sensitive, unknown fields ignored, the last of a repeated field
/// wins, JSON null clears a field, a missing one keeps its default).
/// </summary>
/// <remarks>
/// Why not the source-generated serializer: on its first use in a process it builds metadata for every spec type,
/// and in NativeAOT that reads custom attributes through reflection — about 1.5 ms of each container start, in
/// the init, on the critical path. This reader costs a tenth of that. The serializer stays the reference (it
/// writes config.json and reports parse errors with their position); a test keeps the two in agreement for
/// every property of every spec type.
/// </remarks>
public static class SpecDocumentReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses config.json text; throws <see cref="JsonException"/>, <see cref="FormatException"/> or
    /// <see cref="InvalidOperationException"/> on text the serializer would refuse.</summary>
    public static RuntimeSpec Read(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json, Options);
        return Object<RuntimeSpec>(document.RootElement, SetSpec)
            ?? throw new JsonException("the document is null, expected an object");
    }

    private static void SetSpec(RuntimeSpec s, string name, JsonElement v)
    {
        switch (name)
        {
            case "ociVersion": s.OciVersion = Str(v)!; break;
            case "process": s.Process = ReadProcess(v); break;
            case "root": s.Root = Object<SpecRoot>(v, SetRoot); break;
            case "hostname": s.Hostname = Str(v); break;
            case "domainname": s.Domainname = Str(v); break;
            case "mounts": s.Mounts = List(v, e => Object<SpecMount>(e, SetMount)!)!; break;
            case "hooks": s.Hooks = Object<SpecHooks>(v, SetHooks); break;
            case "annotations": s.Annotations = Map(v); break;
            case "linux": s.Linux = Object<SpecLinux>(v, SetLinux); break;
        }
    }

    /// <summary>A process object (or JSON null) as config.json has it; the shim protocol carries one for exec.</summary>
    internal static SpecProcess? ReadProcess(JsonElement v) => Object<SpecProcess>(v, SetProcess);

    private static void SetProcess(SpecProcess p, string name, JsonElement v)
    {
        switch (name)
        {
            case "terminal": p.Terminal = v.GetBoolean(); break;
            case "consoleSize": p.ConsoleSize = Object<SpecConsoleSize>(v, SetConsoleSize); break;
            case "user": p.User = Object<SpecUser>(v, SetUser)!; break;
            case "args": p.Args = Strings(v)!; break;
            case "commandLine": p.CommandLine = Str(v); break;
            case "env": p.Env = Strings(v); break;
            case "cwd": p.Cwd = Str(v)!; break;
            case "capabilities": p.Capabilities = Object<SpecCapabilities>(v, SetCapabilities); break;
            case "rlimits": p.Rlimits = List(v, e => Object<SpecRlimit>(e, SetRlimit)!); break;
            case "noNewPrivileges": p.NoNewPrivileges = v.GetBoolean(); break;
            case "apparmorProfile": p.ApparmorProfile = Str(v); break;
            case "oomScoreAdj": p.OomScoreAdj = Nullable(v, e => e.GetInt32()); break;
            case "selinuxLabel": p.SelinuxLabel = Str(v); break;
        }
    }

    private static void SetConsoleSize(SpecConsoleSize c, string name, JsonElement v)
    {
        switch (name)
        {
            case "height": c.Height = v.GetUInt32(); break;
            case "width": c.Width = v.GetUInt32(); break;
        }
    }

    private static void SetUser(SpecUser u, string name, JsonElement v)
    {
        switch (name)
        {
            case "uid": u.Uid = v.GetUInt32(); break;
            case "gid": u.Gid = v.GetUInt32(); break;
            case "umask": u.Umask = Nullable(v, e => e.GetUInt32()); break;
            case "additionalGids": u.AdditionalGids = List(v, e => e.GetUInt32()); break;
            case "username": u.Username = Str(v); break;
        }
    }

    private static void SetCapabilities(SpecCapabilities c, string name, JsonElement v)
    {
        switch (name)
        {
            case "bounding": c.Bounding = Strings(v); break;
            case "effective": c.Effective = Strings(v); break;
            case "inheritable": c.Inheritable = Strings(v); break;
            case "permitted": c.Permitted = Strings(v); break;
            case "ambient": c.Ambient = Strings(v); break;
        }
    }

    private static void SetRlimit(SpecRlimit r, string name, JsonElement v)
    {
        switch (name)
        {
            case "type": r.Type = Str(v)!; break;
            case "hard": r.Hard = v.GetUInt64(); break;
            case "soft": r.Soft = v.GetUInt64(); break;
        }
    }

    private static void SetRoot(SpecRoot r, string name, JsonElement v)
    {
        switch (name)
        {
            case "path": r.Path = Str(v)!; break;
            case "readonly": r.Readonly = v.GetBoolean(); break;
        }
    }

    private static void SetMount(SpecMount m, string name, JsonElement v)
    {
        switch (name)
        {
            case "destination": m.Destination = Str(v)!; break;
            case "type": m.Type = Str(v); break;
            case "source": m.Source = Str(v); break;
            case "options": m.Options = Strings(v); break;
            case "uidMappings": m.UidMappings = IdMappings(v); break;
            case "gidMappings": m.GidMappings = IdMappings(v); break;
        }
    }

    private static void SetHooks(SpecHooks h, string name, JsonElement v)
    {
        switch (name)
        {
            case "prestart": h.Prestart = Hooks(v); break;
            case "createRuntime": h.CreateRuntime = Hooks(v); break;
            case "createContainer": h.CreateContainer = Hooks(v); break;
            case "startContainer": h.StartContainer = Hooks(v); break;
            case "poststart": h.Poststart = Hooks(v); break;
            case "poststop": h.Poststop = Hooks(v); break;
        }
    }

    private static List<SpecHook>? Hooks(JsonElement v) => List(v, e => Object<SpecHook>(e, SetHook)!);

    private static void SetHook(SpecHook h, string name, JsonElement v)
    {
        switch (name)
        {
            case "path": h.Path = Str(v)!; break;
            case "args": h.Args = Strings(v); break;
            case "env": h.Env = Strings(v); break;
            case "timeout": h.Timeout = Nullable(v, e => e.GetInt32()); break;
        }
    }

    private static void SetLinux(SpecLinux l, string name, JsonElement v)
    {
        switch (name)
        {
            case "uidMappings": l.UidMappings = IdMappings(v); break;
            case "gidMappings": l.GidMappings = IdMappings(v); break;
            case "sysctl": l.Sysctl = Map(v); break;
            case "resources": l.Resources = Object<SpecResources>(v, SetResources); break;
            case "cgroupsPath": l.CgroupsPath = Str(v); break;
            case "namespaces": l.Namespaces = List(v, e => Object<SpecNamespace>(e, SetNamespace)!); break;
            case "devices": l.Devices = List(v, e => Object<SpecDevice>(e, SetDevice)!); break;
            case "seccomp": l.Seccomp = Object<SpecSeccomp>(v, SetSeccomp); break;
            case "rootfsPropagation": l.RootfsPropagation = Str(v); break;
            case "maskedPaths": l.MaskedPaths = Strings(v); break;
            case "readonlyPaths": l.ReadonlyPaths = Strings(v); break;
            case "mountLabel": l.MountLabel = Str(v); break;
        }
    }

    private static List<SpecIdMapping>? IdMappings(JsonElement v) => List(v, e => Object<SpecIdMapping>(e, SetIdMapping)!);

    private static void SetIdMapping(SpecIdMapping m, string name, JsonElement v)
    {
        switch (name)
        {
            case "containerID": m.ContainerId = v.GetUInt32(); break;
            case "hostID": m.HostId = v.GetUInt32(); break;
            case "size": m.Size = v.GetUInt32(); break;
        }
    }

    private static void SetNamespace(SpecNamespace n, string name, JsonElement v)
    {
        switch (name)
        {
            case "type": n.Type = Str(v)!; break;
            case "path": n.Path = Str(v); break;
        }
    }

    private static void SetDevice(SpecDevice d, string name, JsonElement v)
    {
        switch (name)
        {
            case "type": d.Type = Str(v)!; break;
            case "path": d.Path = Str(v)!; break;
            case "major": d.Major = v.GetInt64(); break;
            case "minor": d.Minor = v.GetInt64(); break;
            case "fileMode": d.FileMode = Nullable(v, e => e.GetUInt32()); break;
            case "uid": d.Uid = Nullable(v, e => e.GetUInt32()); break;
            case "gid": d.Gid = Nullable(v, e => e.GetUInt32()); break;
        }
    }

    private static void SetResources(SpecResources r, string name, JsonElement v)
    {
        switch (name)
        {
            case "devices": r.Devices = List(v, e => Object<SpecDeviceRule>(e, SetDeviceRule)!); break;
            case "memory": r.Memory = Object<SpecMemory>(v, SetMemory); break;
            case "cpu": r.Cpu = Object<SpecCpu>(v, SetCpu); break;
            case "pids": r.Pids = Object<SpecPids>(v, static (p, n, e) => { if (n == "limit") { p.Limit = e.GetInt64(); } }); break;
            case "unified": r.Unified = Map(v); break;
        }
    }

    private static void SetDeviceRule(SpecDeviceRule d, string name, JsonElement v)
    {
        switch (name)
        {
            case "allow": d.Allow = v.GetBoolean(); break;
            case "type": d.Type = Str(v); break;
            case "major": d.Major = Nullable(v, e => e.GetInt64()); break;
            case "minor": d.Minor = Nullable(v, e => e.GetInt64()); break;
            case "access": d.Access = Str(v); break;
        }
    }

    private static void SetMemory(SpecMemory m, string name, JsonElement v)
    {
        switch (name)
        {
            case "limit": m.Limit = Nullable(v, e => e.GetInt64()); break;
            case "reservation": m.Reservation = Nullable(v, e => e.GetInt64()); break;
            case "swap": m.Swap = Nullable(v, e => e.GetInt64()); break;
            case "swappiness": m.Swappiness = Nullable(v, e => e.GetUInt64()); break;
            case "disableOOMKiller": m.DisableOomKiller = Nullable(v, e => e.GetBoolean()); break;
        }
    }

    private static void SetCpu(SpecCpu c, string name, JsonElement v)
    {
        switch (name)
        {
            case "shares": c.Shares = Nullable(v, e => e.GetUInt64()); break;
            case "quota": c.Quota = Nullable(v, e => e.GetInt64()); break;
            case "period": c.Period = Nullable(v, e => e.GetUInt64()); break;
            case "cpus": c.Cpus = Str(v); break;
            case "mems": c.Mems = Str(v); break;
        }
    }

    private static void SetSeccomp(SpecSeccomp s, string name, JsonElement v)
    {
        switch (name)
        {
            case "defaultAction": s.DefaultAction = Str(v)!; break;
            case "defaultErrnoRet": s.DefaultErrnoRet = Nullable(v, e => e.GetUInt32()); break;
            case "architectures": s.Architectures = Strings(v); break;
            case "flags": s.Flags = Strings(v); break;
            case "syscalls": s.Syscalls = List(v, e => Object<SpecSyscall>(e, SetSyscall)!); break;
        }
    }

    private static void SetSyscall(SpecSyscall s, string name, JsonElement v)
    {
        switch (name)
        {
            case "names": s.Names = Strings(v)!; break;
            case "action": s.Action = Str(v)!; break;
            case "errnoRet": s.ErrnoRet = Nullable(v, e => e.GetUInt32()); break;
            case "args": s.Args = List(v, e => Object<SpecSyscallArg>(e, SetSyscallArg)!); break;
        }
    }

    private static void SetSyscallArg(SpecSyscallArg a, string name, JsonElement v)
    {
        switch (name)
        {
            case "index": a.Index = v.GetUInt32(); break;
            case "value": a.Value = v.GetUInt64(); break;
            case "valueTwo": a.ValueTwo = v.GetUInt64(); break;
            case "op": a.Op = Str(v)!; break;
        }
    }

    /// <summary>A JSON object as a new <typeparamref name="T"/> (null for JSON null), fields set in document order.</summary>
    private static T? Object<T>(JsonElement v, Action<T, string, JsonElement> set)
        where T : class, new()
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"expected an object, got {v.ValueKind}");
        }

        var value = new T();
        foreach (JsonProperty property in v.EnumerateObject())
        {
            set(value, property.Name, property.Value);
        }

        return value;
    }

    private static List<T>? List<T>(JsonElement v, Func<JsonElement, T> item)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var list = new List<T>(v.GetArrayLength());
        foreach (JsonElement e in v.EnumerateArray())
        {
            list.Add(item(e));
        }

        return list;
    }

    private static List<string>? Strings(JsonElement v) => List(v, Str)!;

    private static Dictionary<string, string>? Map(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in v.EnumerateObject())
        {
            map[property.Name] = Str(property.Value)!;
        }

        return map;
    }

    private static T? Nullable<T>(JsonElement v, Func<JsonElement, T> read)
        where T : struct => v.ValueKind == JsonValueKind.Null ? null : read(v);

    /// <summary>A string or JSON null; any other kind is refused, as the serializer refuses it.</summary>
    private static string? Str(JsonElement v) => v.ValueKind == JsonValueKind.Null ? null : v.GetString();
}
