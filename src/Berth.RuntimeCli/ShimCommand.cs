using System.Globalization;
using Berth.Runtime.Shim;

namespace Berth.RuntimeCli;

/// <summary>
/// <c>berth-runtime shim --id ID --bundle DIR --state-dir DIR [--runtime-root DIR] [--seccomp-cache DIR] [--log-path FILE]
/// [--log-max-size BYTES] [--log-max-file N] [--stdin] [--terminal true|false]</c>. Parsed by hand: a shim lives as long as its container,
/// so its mode touches nothing of the command-line library.
/// </summary>
internal static class ShimCommand
{
    public const string Usage = "usage: berth-runtime shim --id ID --bundle DIR --state-dir DIR [--runtime-root DIR] [--seccomp-cache DIR] [--log-path FILE] " +
        "[--log-max-size BYTES] [--log-max-file N] [--stdin] [--terminal true|false]";

    public static int Run(ReadOnlySpan<string> args)
    {
        string? id = null, bundle = null, stateDir = null, root = null, logPath = null, seccompCache = null;
        long maxSize = ShimOptions.DefaultLogMaxSize;
        int maxFiles = ShimOptions.DefaultLogMaxFiles;
        bool stdin = false;
        bool? terminal = null;
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (flag == "--stdin")
            {
                stdin = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                return Fail($"flag needs a value: {flag}");
            }

            string value = args[++i];
            switch (flag)
            {
                case "--id":
                    id = value;
                    break;
                case "--bundle":
                    bundle = value;
                    break;
                case "--state-dir":
                    stateDir = value;
                    break;
                case "--runtime-root" or "--root":
                    root = value;
                    break;
                case "--log-path":
                    logPath = value;
                    break;
                case "--seccomp-cache":
                    seccompCache = value;
                    break;
                case "--log-max-size" when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long size):
                    maxSize = size;
                    break;
                case "--terminal" when bool.TryParse(value, out bool isTerminal):
                    terminal = isTerminal;
                    break;
                case "--log-max-file" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int files) && files >= 1:
                    maxFiles = files;
                    break;
                default:
                    return Fail($"invalid flag or value: {flag} {value}");
            }
        }

        if (id is null || bundle is null || stateDir is null)
        {
            return Fail("--id, --bundle and --state-dir are required");
        }

        var options = new ShimOptions
        {
            Id = id,
            Bundle = bundle,
            StateDirectory = Path.GetFullPath(stateDir),
            LogPath = logPath is null ? null : Path.GetFullPath(logPath),
            SeccompCacheDirectory = seccompCache is null ? null : Path.GetFullPath(seccompCache),
            LogMaxSize = maxSize,
            LogMaxFiles = maxFiles,
            OpenStdin = stdin,
            Terminal = terminal,
        };
        return ShimHost.Run(root is null ? options : options with { RuntimeRoot = root });
    }

    /// <summary><c>berth-runtime shim --standby</c>: started ahead by a launcher, it runs as a shim once given its flags.</summary>
    public static int RunStandby()
    {
        string[]? args;
        try
        {
            args = ShimHost.AwaitStandbyWork();
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Fail($"standby: unreadable flags: {ex.Message}");
        }

        return args switch
        {
            null => 0,
            ["shim", ..] => Run(args.AsSpan(1)),
            _ => Fail("standby: the flags must start with \"shim\""),
        };
    }

    private static int Fail(string message)
    {
        ShimHost.ReportFailure($"berth-runtime shim: {message}\n{Usage}");
        return 2;
    }
}
