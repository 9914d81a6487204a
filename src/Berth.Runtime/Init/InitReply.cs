namespace Berth.Runtime.Init;

/// <summary>The init's answer: <c>ready</c> once set up (it then waits on the exec fifo), or the step that failed.</summary>
public sealed class InitReply
{
    public const string ReadyType = "ready", ErrorType = "error";

    public string Type { get; set; } = ReadyType;

    public string? Step { get; set; }

    public int Errno { get; set; }

    public string? Message { get; set; }
}
