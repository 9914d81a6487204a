using System.Globalization;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>Signal names and the signal state a process hands to what it execs.</summary>
public static class Signals
{
    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
        "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
        "WINCH", "IO", "PWR", "SYS",
    ];

    public const int SIGKILL = 9, SIGTERM = 15;

    /// <summary>"KILL", "SIGKILL", "9", "RTMIN+3" → number; null when unknown.</summary>
    public static int? Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number is > 0 and <= 64 ? number : null;
        }

        string name = value.ToUpperInvariant();
        name = name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name;
        int index = Array.IndexOf(Names, name);
        if (index > 0)
        {
            return index;
        }

        if (name == "IOT")
        {
            return 6;
        }

        if (name.StartsWith("RTMIN", StringComparison.Ordinal))
        {
            return Offset(name[5..], 34, 64);
        }

        return name.StartsWith("RTMAX", StringComparison.Ordinal) ? Offset(name[5..], 64, 34) : null;
    }

    /// <summary>Resets every ignored signal to its default (exec keeps SIG_IGN; .NET ignores SIGPIPE) and unblocks all.</summary>
    public static unsafe void ResetForExec()
    {
        var defaults = default(KernelSigaction);
        KernelSigaction current;
        for (int signal = 1; signal <= 64; signal++)
        {
            if (syscall(SYS_rt_sigaction, signal, 0, (long)&current, 8, 0, 0) == 0 && current.Handler == SIG_IGN)
            {
                _ = syscall(SYS_rt_sigaction, signal, (long)&defaults, 0, 8, 0, 0);
            }
        }

        ulong empty = 0;
        _ = syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&empty, 0, 8, 0, 0);
    }

    private static int? Offset(string suffix, int origin, int limit)
    {
        if (suffix.Length == 0)
        {
            return origin;
        }

        if (!int.TryParse(suffix, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int delta))
        {
            return null;
        }

        int signal = origin + delta;
        return signal >= Math.Min(origin, limit) && signal <= Math.Max(origin, limit) ? signal : null;
    }
}
