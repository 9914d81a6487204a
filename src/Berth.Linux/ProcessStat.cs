using System.Globalization;

namespace Berth.Linux;

/// <summary>The fields of /proc/PID/stat the runtime needs: state letter and start time (to tell a recycled pid apart).</summary>
public readonly record struct ProcessStat(char State, ulong StartTime, ulong UserTicks, ulong SystemTicks)
{
    public bool IsDead => State is 'Z' or 'X';

    public static ProcessStat? TryRead(int pid, string procRoot = "/proc")
    {
        string text;
        try
        {
            text = File.ReadAllText($"{procRoot}/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>Fields after the parenthesised command name (which may itself contain spaces and ')').</summary>
    public static ProcessStat? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        string[] fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime is field 14, stime 15, starttime 22.
        if (fields.Length < 20)
        {
            return null;
        }

        return new ProcessStat(
            fields[0][0],
            ulong.Parse(fields[19], CultureInfo.InvariantCulture),
            ulong.Parse(fields[11], CultureInfo.InvariantCulture),
            ulong.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
