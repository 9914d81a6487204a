using Berth.Core.Errors;
using Berth.Runtime.Init;

namespace Berth.Runtime.Containers;

/// <summary>
/// Docker's user lookup (moby's getUser via runc's user package): "", "name", "uid", "name:group", "uid:gid",
/// resolved against the container's own /etc/passwd and /etc/group, read through symlinks kept inside the rootfs.
/// Numeric ids need no entry; names do. Supplementary groups are the groups listing the user by name.
/// </summary>
public static class ContainerUserResolver
{
    public static ResolvedUser Resolve(string rootfs, string user, Func<string, string?> readLink)
    {
        ArgumentNullException.ThrowIfNull(rootfs);
        ArgumentNullException.ThrowIfNull(user);
        string[] passwd = ReadLines(rootfs, "/etc/passwd", readLink);
        string[] group = ReadLines(rootfs, "/etc/group", readLink);

        string userPart = user, groupPart = "";
        int colon = user.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            userPart = user[..colon];
            groupPart = user[(colon + 1)..];
        }
        if (userPart.Length == 0)
            userPart = "0";

        string[]? entry = FindEntry(passwd, userPart, nameField: 0, idField: 2);
        uint uid, gid;
        string name, home;
        if (entry is not null && entry.Length >= 6)
        {
            uid = ParseId(entry[2], user);
            gid = ParseId(entry[3], user);
            name = entry[0];
            home = entry[5].Length > 0 ? entry[5] : "/";
        }
        else if (uint.TryParse(userPart, out uid))
        {
            // runc's GetExecUser: a numeric uid without a passwd entry keeps the default group, 0.
            gid = 0;
            name = "";
            home = "/";
        }
        else
        {
            throw Errors.InvalidArgument($"unable to find user {userPart}: no matching entries in passwd file");
        }

        if (groupPart.Length > 0)
        {
            string[]? groupEntry = FindEntry(group, groupPart, nameField: 0, idField: 2);
            if (groupEntry is not null && groupEntry.Length >= 3)
                gid = ParseId(groupEntry[2], user);
            else if (!uint.TryParse(groupPart, out gid))
                throw Errors.InvalidArgument($"unable to find group {groupPart}: no matching entries in group file");
        }

        List<uint> additional = [];
        if (name.Length > 0)
        {
            foreach (string line in group)
            {
                string[] fields = line.Split(':');
                if (fields.Length >= 4 && fields[3].Split(',').Contains(name, StringComparer.Ordinal)
                    && uint.TryParse(fields[2], out uint extra) && extra != gid && !additional.Contains(extra))
                    additional.Add(extra);
            }
        }
        return new ResolvedUser(uid, gid, additional, home);
    }

    private static string[]? FindEntry(string[] lines, string nameOrId, int nameField, int idField)
    {
        bool numeric = uint.TryParse(nameOrId, out _);
        foreach (string line in lines)
        {
            string[] fields = line.Split(':');
            if (fields.Length <= idField)
                continue;
            if (fields[nameField] == nameOrId || (numeric && fields[idField] == nameOrId))
                return fields;
        }
        return null;
    }

    private static uint ParseId(string text, string user) =>
        uint.TryParse(text, out uint id) ? id : throw Errors.InvalidArgument($"unable to find user {user}: invalid id \"{text}\" in the image's files");

    private static string[] ReadLines(string rootfs, string containerPath, Func<string, string?> readLink)
    {
        string path = SecurePath.Join(rootfs, containerPath, readLink);
        if (!File.Exists(path))
            return [];
        // Both files are small; a cap keeps a hostile image from making the daemon read gigabytes.
        using FileStream stream = File.OpenRead(path);
        if (stream.Length > 4 << 20)
            throw Errors.InvalidArgument($"{containerPath} in the image is larger than 4 MiB");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#'))
            .ToArray();
    }
}
