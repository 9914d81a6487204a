namespace Berth.Core.Errors;

/// <summary>A failure with a kind; wrap to add context while keeping the kind (Go's <c>%w</c>).</summary>
public class BerthException : Exception
{
    public BerthException(ErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public BerthException() : this(ErrorKind.Internal, "internal error") { }

    public BerthException(string message) : this(ErrorKind.Internal, message) { }

    public BerthException(string message, Exception inner) : this(ErrorKind.Internal, message, inner) { }

    public ErrorKind Kind { get; }

    /// <summary>The outermost classified exception in the chain wins.</summary>
    public static ErrorKind KindOf(Exception exception) => exception switch
    {
        BerthException e => e.Kind,
        OperationCanceledException => ErrorKind.Canceled,
        { InnerException: { } inner } => KindOf(inner),
        _ => ErrorKind.Internal,
    };
}
