using System.Globalization;

namespace Berth.Runtime.Init;

/// <summary>Reads the container's own /etc/passwd (name:password:uid:gid:gecos:home:shell).</summary>
internal static class PasswdFile
{
    /// <summary>The home directory of <paramref name="uid"/>, or null when no entry names it.</summary>
    public static string? HomeOf(IEnumerable<string> lines, uint uid)
    {
        foreach (string line in lines)
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 6 && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint entry) && entry == uid)
            {
                return fields[5];
            }
        }

        return null;
    }
}
