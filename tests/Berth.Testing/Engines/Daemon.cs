using System.Diagnostics;

namespace Berth.Testing.Engines;

/// <summary>
/// A server the engine fixtures start (registry, containerd, dockerd): stdout and stderr go to a log FILE (a /bin/sh
/// wrapper redirects, then execs, so the PID held is the server's own), and it is stopped by that PID only —
/// SIGTERM, then SIGKILL after a grace period.
/// </summary>
public sealed class Daemon : IAsyncDisposable
{
    private readonly Process _process;

    private Daemon(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The log so far (for failure messages).</summary>
    public string Log => File.Exists(LogPath) ? ReadShared(LogPath) : "";

    public static Daemon Start(string name, string program, IReadOnlyList<string> args, string logPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >>\"$BERTH_DAEMON_LOG\" 2>&1");
        psi.ArgumentList.Add(program);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["BERTH_DAEMON_LOG"] = logPath;
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        Process process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        return new Daemon(name, process, logPath);
    }

    /// <summary>Polls <paramref name="ready"/> until it is true; fails with the log if the server exits or the time runs out.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before it was ready\n--- {LogPath} ---\n{Log}");
            }

            if (await ready())
            {
                return;
            }

            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} not ready after {timeout.TotalSeconds} s\n--- {LogPath} ---\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>; waits for the exit.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        await ProcessTools.SignalAsync(_process.Id, "TERM");
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
