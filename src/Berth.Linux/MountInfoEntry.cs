using System.Text;

namespace Berth.Linux;

/// <summary>
/// What one line of /proc/self/mountinfo says about a mount that callers tell mounts apart by: where it is, its
/// filesystem type and its source. Paths come unescaped (the kernel writes space, tab, newline and backslash as \ooo).
/// </summary>
public readonly record struct MountInfoEntry(string MountPoint, string FileSystemType, string Source)
{
    /// <summary>This process's mounts, in the kernel's order (a mount on top of another comes after it).</summary>
    public static IEnumerable<MountInfoEntry> ReadAll() =>
        File.ReadLines("/proc/self/mountinfo").Select(Parse).OfType<MountInfoEntry>();

    /// <summary>
    /// "36 35 98:0 / /mnt rw,noatime master:1 - ext3 /dev/root rw": field 5 is the mount point, and after the " - "
    /// separator (optional fields come before it) come the type and the source. Null for a line of another shape.
    /// </summary>
    public static MountInfoEntry? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] fields = line.Split(' ');
        int separator = fields.Length > 6 ? Array.IndexOf(fields, "-", 6) : -1;
        return separator < 0 || fields.Length < separator + 3
            ? null
            : new MountInfoEntry(Unescape(fields[4]), Unescape(fields[separator + 1]), Unescape(fields[separator + 2]));
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            ReadOnlySpan<char> digits = i + 4 <= field.Length ? field.AsSpan(i + 1, 3) : default;
            if (field[i] == '\\' && digits.Length == 3 && digits.IndexOfAnyExceptInRange('0', '7') < 0)
            {
                text.Append((char)(((digits[0] - '0') * 64) + ((digits[1] - '0') * 8) + (digits[2] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }
}
