using System.Text.Json;

namespace Berth.Runtime.Spec;

/// <summary>
/// Writes spec objects by hand, byte for byte as a serializer context with camelCase names and nulls omitted writes
/// them (declaration order, a null property left out, even one typed non-nullable), for the reason
/// <see cref="Init.InitRequest"/> gives: the runtime's state.json carries the process and hooks on every create.
/// </summary>
internal static class SpecJsonWriter
{
    public static void WriteProcess(Utf8JsonWriter writer, ReadOnlySpan<byte> name, SpecProcess? process) =>
        WriteObject(writer, name, process, static (writer, process) =>
        {
            writer.WriteBoolean("terminal"u8, process.Terminal);
            WriteObject(writer, "consoleSize"u8, process.ConsoleSize, static (writer, size) =>
            {
                writer.WriteNumber("height"u8, size.Height);
                writer.WriteNumber("width"u8, size.Width);
            });
            WriteObject(writer, "user"u8, process.User, WriteUser);
            WriteStrings(writer, "args"u8, process.Args);
            WriteString(writer, "commandLine"u8, process.CommandLine);
            WriteStrings(writer, "env"u8, process.Env);
            WriteString(writer, "cwd"u8, process.Cwd);
            WriteObject(writer, "capabilities"u8, process.Capabilities, WriteCapabilities);
            WriteObjects(writer, "rlimits"u8, process.Rlimits, WriteRlimit);
            writer.WriteBoolean("noNewPrivileges"u8, process.NoNewPrivileges);
            WriteString(writer, "apparmorProfile"u8, process.ApparmorProfile);
            if (process.OomScoreAdj is { } oomScoreAdj)
            {
                writer.WriteNumber("oomScoreAdj"u8, oomScoreAdj);
            }

            WriteString(writer, "selinuxLabel"u8, process.SelinuxLabel);
        });

    public static void WriteHooks(Utf8JsonWriter writer, ReadOnlySpan<byte> name, SpecHooks? hooks) =>
        WriteObject(writer, name, hooks, static (writer, hooks) =>
        {
            WriteObjects(writer, "prestart"u8, hooks.Prestart, WriteHook);
            WriteObjects(writer, "createRuntime"u8, hooks.CreateRuntime, WriteHook);
            WriteObjects(writer, "createContainer"u8, hooks.CreateContainer, WriteHook);
            WriteObjects(writer, "startContainer"u8, hooks.StartContainer, WriteHook);
            WriteObjects(writer, "poststart"u8, hooks.Poststart, WriteHook);
            WriteObjects(writer, "poststop"u8, hooks.Poststop, WriteHook);
        });

    /// <summary>A string property, left out when null.</summary>
    public static void WriteString(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>An array of strings, left out when null; a null element is written as JSON null, as the serializer does.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<string>? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteUser(Utf8JsonWriter writer, SpecUser user)
    {
        writer.WriteNumber("uid"u8, user.Uid);
        writer.WriteNumber("gid"u8, user.Gid);
        if (user.Umask is { } umask)
        {
            writer.WriteNumber("umask"u8, umask);
        }

        if (user.AdditionalGids is { } gids)
        {
            writer.WriteStartArray("additionalGids"u8);
            foreach (uint gid in gids)
            {
                writer.WriteNumberValue(gid);
            }

            writer.WriteEndArray();
        }

        WriteString(writer, "username"u8, user.Username);
    }

    private static void WriteCapabilities(Utf8JsonWriter writer, SpecCapabilities capabilities)
    {
        WriteStrings(writer, "bounding"u8, capabilities.Bounding);
        WriteStrings(writer, "effective"u8, capabilities.Effective);
        WriteStrings(writer, "inheritable"u8, capabilities.Inheritable);
        WriteStrings(writer, "permitted"u8, capabilities.Permitted);
        WriteStrings(writer, "ambient"u8, capabilities.Ambient);
    }

    private static void WriteRlimit(Utf8JsonWriter writer, SpecRlimit rlimit)
    {
        WriteString(writer, "type"u8, rlimit.Type);
        writer.WriteNumber("hard"u8, rlimit.Hard);
        writer.WriteNumber("soft"u8, rlimit.Soft);
    }

    private static void WriteHook(Utf8JsonWriter writer, SpecHook hook)
    {
        WriteString(writer, "path"u8, hook.Path);
        WriteStrings(writer, "args"u8, hook.Args);
        WriteStrings(writer, "env"u8, hook.Env);
        if (hook.Timeout is { } timeout)
        {
            writer.WriteNumber("timeout"u8, timeout);
        }
    }

    /// <summary>An object property, left out when null; <paramref name="writeMembers"/> writes its properties.</summary>
    private static void WriteObject<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, T? value, Action<Utf8JsonWriter, T> writeMembers)
        where T : class
    {
        if (value is not null)
        {
            writer.WriteStartObject(name);
            writeMembers(writer, value);
            writer.WriteEndObject();
        }
    }

    /// <summary>An array of objects, left out when null; a null element is written as JSON null.</summary>
    private static void WriteObjects<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<T>? items, Action<Utf8JsonWriter, T> writeMembers)
        where T : class
    {
        if (items is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (T? item in items)
        {
            if (item is null)
            {
                writer.WriteNullValue();
                continue;
            }

            writer.WriteStartObject();
            writeMembers(writer, item);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
