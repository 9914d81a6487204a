namespace Berth.Cli;

/// <summary>A command-line mistake caught by a command (conflicting flags, a bad value): docker prints it with the usage hint and exits 125.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    public UsageException() : this("invalid usage")
    {
    }

    public UsageException(string message, Exception inner) : this(message) => _ = inner;
}
