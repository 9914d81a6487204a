namespace Berth.Cli.Formatting;

/// <summary>An error reported inside a JSON message stream (pull, push, load).</summary>
internal sealed class ProgressException(string message) : Exception(message)
{
    public ProgressException() : this("progress stream error")
    {
    }

    public ProgressException(string message, Exception inner) : this(message) => _ = inner;
}
