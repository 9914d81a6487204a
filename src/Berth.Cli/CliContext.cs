using Berth.Client;

namespace Berth.Cli;

/// <summary>What a command needs from its environment: the client, the standard streams, terminal facts and the clock.</summary>
internal sealed class CliContext : IDisposable
{
    private readonly Func<CliContext, BerthClient> _clientFactory;
    private BerthClient? _client;

    public CliContext(TextWriter output, TextWriter error, Func<CliContext, BerthClient> clientFactory)
    {
        Out = output;
        Err = error;
        _clientFactory = clientFactory;
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    /// <summary>Binary standard output (save, cp, raw TTY streams).</summary>
    public Func<Stream> OpenStdout { get; init; } = Console.OpenStandardOutput;

    public Func<Stream> OpenStderr { get; init; } = Console.OpenStandardError;

    public Func<Stream> OpenStdin { get; init; } = Console.OpenStandardInput;

    public bool StdinIsTerminal { get; init; } = !Console.IsInputRedirected;

    public bool StdoutIsTerminal { get; init; } = !Console.IsOutputRedirected;

    public bool StderrIsTerminal { get; init; } = !Console.IsErrorRedirected;

    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.UtcNow;

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The -H/--host value, set before any command runs.</summary>
    public string? HostFlag { get; set; }

    public BerthClient Client => _client ??= _clientFactory(this);

    public int TerminalWidth => StdoutIsTerminal || StderrIsTerminal ? SafeWindowWidth() : 80;

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    public void Dispose() => _client?.Dispose();
}
