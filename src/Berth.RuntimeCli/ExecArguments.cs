namespace Berth.RuntimeCli;

/// <summary>
/// runc stops reading flags at exec's container id (<c>runc exec ID sh -c "…"</c>: the <c>-c</c> is the
/// command's). System.CommandLine reads flags anywhere, so an <c>--</c> is inserted after the id.
/// </summary>
internal static class ExecArguments
{
    private static readonly HashSet<string> FlagsWithValue =
    [
        "--root", "--log", "--log-format", "--criu", "--rootless",
        "--console-socket", "--cwd", "--env", "-e", "--user", "-u", "--additional-gids", "-g", "--process", "-p",
        "--pid-file", "--cap", "-c", "--preserve-fds", "--process-label", "--apparmor", "--cgroup",
    ];

    public static string[] Normalize(string[] args)
    {
        int exec = Array.IndexOf(args, "exec");
        if (exec < 0 || Array.IndexOf(args, "--", exec) >= 0)
        {
            return args;
        }

        for (int i = exec + 1; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg.StartsWith('-') && arg.Length > 1)
            {
                if (FlagsWithValue.Contains(arg))
                {
                    i++; // its value
                }

                continue;
            }

            return [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
        }

        return args;
    }
}
