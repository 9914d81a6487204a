using System.Diagnostics;
using Berth.Client;

namespace Berth.Cli;

/// <summary>
/// Chooses the daemon address (--host, BERTH_HOST, DOCKER_HOST, default socket). When the default socket is absent
/// and we are root, starts berthd in the background (next to this binary, else on PATH) and waits for /_ping.
/// </summary>
internal static class DaemonConnector
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    public static BerthClient Connect(CliContext cli)
    {
        EngineHost host;
        try
        {
            host = EngineHost.Resolve(cli.HostFlag, cli.Environment);
        }
        catch (ArgumentException ex)
        {
            throw new StatusException(1, ex.Message);
        }

        if (host.IsDefault && !File.Exists(EngineHost.DefaultSocketPath) && Environment.UserName == "root")
        {
            StartDaemon(cli, host);
        }

        // A command makes its calls one after another (a wait and an attach, which overlap, are never blocking).
        return new BerthClient(host) { ConnectBlocking = UnixSocketConnection.Open };
    }

    private static void StartDaemon(CliContext cli, EngineHost host)
    {
        string? daemon = FindDaemon();
        if (daemon is null)
        {
            return;
        }

        var start = new ProcessStartInfo(daemon)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The daemon serves many connections at once: it gets the user's setting, not the one this command made.
        if (cli.Environment(Program.InlineSocketCompletions) is { } userValue)
        {
            start.Environment[Program.InlineSocketCompletions] = userValue;
        }
        else
        {
            start.Environment.Remove(Program.InlineSocketCompletions);
        }
        using Process? process = Process.Start(start);
        if (process is null)
        {
            return;
        }

        // The daemon's output goes nowhere; it keeps running after we exit.
        process.StandardInput.Close();
        process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        cli.Err.WriteLine($"berth: the daemon was not running; started {daemon} (pid {process.Id}), waiting for {host.Uri}");
        using var client = new BerthClient(host);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            try
            {
                client.PingAsync().GetAwaiter().GetResult();
                return;
            }
            catch (BerthClientException)
            {
                if (process.HasExited)
                {
                    throw new StatusException(1, $"berth: {daemon} exited with status {process.ExitCode} before it answered on {host.Uri}");
                }

                Thread.Sleep(50);
            }
        }

        throw new StatusException(1, $"berth: {daemon} did not answer on {host.Uri} within {StartTimeout.TotalSeconds:0} s");
    }

    private static string? FindDaemon()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "berthd");
        if (File.Exists(beside))
        {
            return beside;
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "berthd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
