namespace Berth.Cli;

/// <summary>Ends a command with a message on stderr and an exit status (docker's cli.StatusError).</summary>
internal sealed class StatusException(int status, string message) : Exception(message)
{
    public StatusException() : this(1, "")
    {
    }

    public StatusException(string message) : this(1, message)
    {
    }

    public StatusException(string message, Exception inner) : this(1, message) => _ = inner;

    public int Status { get; } = status;
}
