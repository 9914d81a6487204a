using System.Diagnostics;

namespace Berth.Cli.Terminal;

/// <summary>
/// Puts the controlling terminal in raw mode for `-it` and restores it on Dispose. Uses stty(1) rather than termios
/// interop: Berth.Cli may not contain P/Invoke (only Berth.Linux may) nor reference Berth.Linux, and stty's two
/// short runs cost a few milliseconds once per interactive session. The saved state (`stty -g`) is restored on
/// every exit path: Dispose, Ctrl-C, SIGTERM and SIGHUP handlers, and process exit.
/// </summary>
internal sealed class RawTerminal : IDisposable
{
    private readonly string _saved;
    private readonly List<System.Runtime.InteropServices.PosixSignalRegistration> _signals = [];
    private int _restored;

    private RawTerminal(string saved)
    {
        _saved = saved;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Restore();
        foreach (var signal in new[] { System.Runtime.InteropServices.PosixSignal.SIGTERM, System.Runtime.InteropServices.PosixSignal.SIGHUP, System.Runtime.InteropServices.PosixSignal.SIGQUIT })
        {
            _signals.Add(System.Runtime.InteropServices.PosixSignalRegistration.Create(signal, _ => Restore()));
        }
    }

    /// <summary>Returns null when stdin is not a terminal or stty is unavailable (then the session simply stays cooked).</summary>
    public static RawTerminal? Enter()
    {
        string? saved = Stty("-g", captureOutput: true);
        if (string.IsNullOrWhiteSpace(saved))
        {
            return null;
        }

        var terminal = new RawTerminal(saved.Trim());
        Stty("raw -echo", captureOutput: false);
        return terminal;
    }

    public void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 0)
        {
            Stty(_saved, captureOutput: false);
        }
    }

    public void Dispose()
    {
        Restore();
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }
    }

    private static string? Stty(string arguments, bool captureOutput)
    {
        try
        {
            var start = new ProcessStartInfo("stty", arguments) { UseShellExecute = false, RedirectStandardOutput = captureOutput };
            using Process? process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            string? output = captureOutput ? process.StandardOutput.ReadToEnd() : null;
            process.WaitForExit();
            return process.ExitCode == 0 ? output ?? "" : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
