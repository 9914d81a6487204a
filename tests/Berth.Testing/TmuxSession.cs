using System.Text.RegularExpressions;

namespace Berth.Testing;

/// <summary>
/// A detached tmux session on a server of its own (its own socket under a temp dir, no config file): a real pty
/// for a command, typed into with <see cref="TypeLineAsync"/>, read with <see cref="CaptureAsync"/> and resized with
/// <see cref="ResizeAsync"/>. The command runs as <c>sh -c COMMAND</c>; its exit code is written to a file so the
/// pane need not outlive it. Dispose kills this server only (through its socket).
/// </summary>
public sealed class TmuxSession : IDisposable
{
    public const string TmuxPath = "/usr/bin/tmux";
    private const string Target = "main";

    private readonly string _dir;
    private readonly string _socket;
    private readonly string _exitFile;

    private TmuxSession(string dir)
    {
        _dir = dir;
        _socket = Path.Combine(dir, "tmux.sock");
        _exitFile = Path.Combine(dir, "exit-code");
    }

    /// <summary>Starts <paramref name="command"/> (a shell command line) in a <paramref name="columns"/>x<paramref name="rows"/> window.</summary>
    public static async Task<TmuxSession> StartAsync(string command, int columns, int rows)
    {
        var session = new TmuxSession(Directory.CreateTempSubdirectory("berth-tmux-").FullName);
        try
        {
            string wrapped = $"{command}; echo $? > {session._exitFile}.tmp && mv {session._exitFile}.tmp {session._exitFile}";
            (await session.TmuxAsync("new-session", "-d", "-s", Target, "-x", columns.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-y", rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "sh", "-c", wrapped)).EnsureSuccess();
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Types <paramref name="text"/> literally, then Enter.</summary>
    public async Task TypeLineAsync(string text)
    {
        (await TmuxAsync("send-keys", "-t", Target, "-l", text)).EnsureSuccess();
        (await TmuxAsync("send-keys", "-t", Target, "Enter")).EnsureSuccess();
    }

    /// <summary>The pane's text: the scrollback and the screen, wrapped lines joined, trailing blanks trimmed.</summary>
    public async Task<string> CaptureAsync()
    {
        ProcessResult r = await TmuxAsync("capture-pane", "-p", "-J", "-S", "-", "-t", Target);
        return r.ExitCode == 0 ? r.Stdout : "";
    }

    /// <summary>Resizes the window (and so the pane's pty: the program in it gets SIGWINCH).</summary>
    public async Task ResizeAsync(int columns, int rows) =>
        (await TmuxAsync("resize-window", "-t", Target, "-x", columns.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-y", rows.ToString(System.Globalization.CultureInfo.InvariantCulture))).EnsureSuccess();

    /// <summary>Polls the pane until a line matches <paramref name="pattern"/>; fails with the pane's text on timeout.</summary>
    public async Task<string> WaitForLineAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        string text = "";
        while (DateTime.UtcNow < deadline)
        {
            text = await CaptureAsync();
            if (regex.Match(text) is { Success: true } m)
            {
                return m.Value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no line matching /{pattern}/ in the tmux pane:\n{text}\n--- exit code file ---\n{ExitCodeText()}");
    }

    /// <summary>The command's exit code once it has ended.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(_exitFile))
            {
                return int.Parse(File.ReadAllText(_exitFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the command in tmux did not end; pane:\n{await CaptureAsync()}");
    }

    public void Dispose()
    {
        try
        {
            TmuxAsync("kill-server").GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string ExitCodeText() => File.Exists(_exitFile) ? File.ReadAllText(_exitFile) : "(not yet)";

    private Task<ProcessResult> TmuxAsync(params string[] args) =>
        ChildProcess.RunAsync(TmuxPath, ["-S", _socket, "-f", "/dev/null", .. args], TimeSpan.FromSeconds(20));
}
