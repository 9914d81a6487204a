using Berth.Core.Errors;

namespace Berth.Runtime.Init;

/// <summary>A failed init step, as the parent reports it: <c>init step "pivot-root" failed: …</c>.</summary>
public sealed class InitStepException : BerthException
{
    public InitStepException(string step, string detail, ErrorKind kind = ErrorKind.Internal, int errno = 0)
        : base(kind, $"init step \"{step}\" failed: {detail}")
    {
        Step = step;
        Errno = errno;
    }

    public InitStepException() : this("unknown", "unknown") { }

    private InitStepException(string step, int errno, string message)
        : base(ErrorKind.Internal, message)
    {
        Step = step;
        Errno = errno;
    }

    public InitStepException(string message) : this("unknown", message) { }

    public InitStepException(string message, Exception inner) : base(ErrorKind.Internal, message, inner) => Step = "unknown";

    public string Step { get; }

    /// <summary>The init's report as the parent rethrows it, message unchanged.</summary>
    public static InitStepException FromReply(InitReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new InitStepException(reply.Step ?? "unknown", reply.Errno, reply.Message ?? "unknown error");
    }

    public int Errno { get; }
}
