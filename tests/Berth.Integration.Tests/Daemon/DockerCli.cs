using System.Diagnostics;
using Berth.Testing;
using Berth.Testing.Engines;

namespace Berth.Integration.Tests.Daemon;

/// <summary>The preinstalled docker CLI 28 pointed at a berthd (DOCKER_HOST) with a config dir of its own.</summary>
public sealed class DockerCli
{
    public DockerCli(BerthDaemonProcess daemon)
    {
        Daemon = daemon;
        string config = Path.Combine(daemon.Dir, "docker-config");
        Directory.CreateDirectory(config);
        Environment = new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.DockerHost, ["DOCKER_CONFIG"] = config };
    }

    public BerthDaemonProcess Daemon { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public static string Program => EngineBinaries.PreinstalledDockerClient;

    public Task<ProcessResult> RunAsync(params string[] args) => RunAsync(args, TimeSpan.FromMinutes(2));

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, TimeSpan timeout) =>
        ProcessTools.RunAsync(Program, args, Environment, timeout);

    /// <summary>Runs docker with <paramref name="stdin"/> written to its stdin, then closed.</summary>
    public async Task<ProcessResult> RunWithStdinAsync(IEnumerable<string> args, string stdin, TimeSpan timeout)
    {
        using Process process = Start(args, redirectStdin: true);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stopwatch = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return new ProcessResult($"docker {string.Join(' ', args)}", -1, await stdout, await stderr + $"\n(killed after {timeout.TotalSeconds} s)", stopwatch.Elapsed);
        }

        return new ProcessResult($"docker {string.Join(' ', args)}", process.ExitCode, await stdout, await stderr, stopwatch.Elapsed);
    }

    /// <summary>Starts docker with stdout/stderr redirected (for streaming commands); the caller kills it.</summary>
    public Process Start(IEnumerable<string> args, bool redirectStdin = false)
    {
        var psi = new ProcessStartInfo(Program)
        {
            UseShellExecute = false,
            RedirectStandardInput = redirectStdin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach ((string key, string value) in Environment)
        {
            psi.Environment[key] = value;
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("cannot start docker");
    }

    /// <summary>A failure message: the result and berthd's log.</summary>
    public string Context(ProcessResult result) => $"{result}\n--- berthd log (tail) ---\n{Tail(Daemon.Log, 60)}";

    public string Context(string what) => $"{what}\n--- berthd log (tail) ---\n{Tail(Daemon.Log, 60)}";

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static string Tail(string log, int lines) => string.Join('\n', log.Split('\n').TakeLast(lines));
}
