using System.Diagnostics;
using System.Text;

namespace Berth.Testing.Engines;

/// <summary>
/// Runs a command on a pty through util-linux's <c>script -qec CMD /dev/null</c>: the command's stdin/stdout/stderr
/// are the pty slave; the test writes keystrokes to script's stdin and reads the terminal's output (with the
/// pty's echo and CRLFs) from script's stdout. Dispose kills the session by PID if it is still running.
/// </summary>
public sealed class PtySession : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _reader;
    private readonly object _gate = new();

    private PtySession(Process process, string command)
    {
        _process = process;
        Command = command;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>The shell command line given to script.</summary>
    public string Command { get; }

    /// <summary>Everything the terminal showed so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static PtySession Start(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, int columns = 80, int rows = 24)
    {
        string command = string.Join(' ', new[] { program }.Concat(args).Select(Quote));
        var psi = new ProcessStartInfo(EngineBinaries.Script)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-qec");
        // The pty starts 0x0; give it a size so programs that ask (and the runtime's consoleSize) see one.
        psi.ArgumentList.Add($"stty cols {columns} rows {rows} 2>/dev/null; exec {command}");
        psi.ArgumentList.Add("/dev/null");
        psi.Environment["TERM"] = "xterm";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        Process process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start script");
        return new PtySession(process, command);
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output so far otherwise.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                await _reader.WaitAsync(TimeSpan.FromSeconds(5));
                if (Output.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }

                Assert.Fail($"`{Command}` exited ({_process.ExitCode}) before printing {text}\n--- terminal ---\n{Output}");
            }

            if (stopwatch.Elapsed > timeout)
            {
                Assert.Fail($"`{Command}` did not print {text} within {timeout.TotalSeconds} s\n--- terminal ---\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Types <paramref name="text"/> (no newline added).</summary>
    public async Task TypeAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for script (and so the command) to exit; returns script's exit code (the command's, with -e).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"`{Command}` did not exit within {timeout.TotalSeconds} s\n--- terminal ---\n{Output}");
        }

        await _reader.WaitAsync(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // Only the session we started and its descendants, by PID.
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new char[4096];
        Task<string> stderr = _process.StandardError.ReadToEndAsync();
        int n;
        while ((n = await _process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            lock (_gate)
            {
                _output.Append(buffer, 0, n);
            }
        }

        string err = await stderr;
        if (err.Length > 0)
        {
            lock (_gate)
            {
                _output.Append("\n--- script stderr ---\n").Append(err);
            }
        }
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@%+".Contains(c, StringComparison.Ordinal)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
