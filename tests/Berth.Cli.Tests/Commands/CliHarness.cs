using System.Text;
using Berth.Client;

namespace Berth.Cli.Tests.Commands;

/// <summary>Runs `berth …` in-process against a socket, capturing stdout/stderr text and bytes.</summary>
internal sealed class CliHarness : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();

    public string Stdout => _out.ToString() + Encoding.UTF8.GetString(_stdout.ToArray());

    public string Stderr => _err.ToString() + Encoding.UTF8.GetString(_stderr.ToArray());

    public void Dispose()
    {
        _out.Dispose();
        _err.Dispose();
        _stdout.Dispose();
        _stderr.Dispose();
    }

    public async Task<int> RunAsync(string? socketPath, params string[] args)
    {
        using var cli = new CliContext(_out, _err, c => new BerthClient(c.HostFlag is { } flag ? EngineHost.Parse(flag) : EngineHost.Parse("unix://" + (socketPath ?? "/nonexistent/berth-cli-test.sock"))))
        {
            OpenStdout = () => _stdout,
            OpenStderr = () => _stderr,
            OpenStdin = () => new MemoryStream(),
            StdinIsTerminal = false,
            StdoutIsTerminal = false,
            StderrIsTerminal = false,
            Now = () => DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            Environment = _ => null,
        };
        return await Program.RunAsync(cli, args);
    }
}
