namespace Berth.Core.Errors;

/// <summary>Factory for classified errors, so call sites read as the failure they report.</summary>
public static class Errors
{
    public static BerthException InvalidArgument(string message) => new(ErrorKind.InvalidArgument, message);

    public static BerthException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static BerthException AlreadyExists(string message) => new(ErrorKind.AlreadyExists, message);

    public static BerthException Conflict(string message) => new(ErrorKind.Conflict, message);

    public static BerthException FailedPrecondition(string message) => new(ErrorKind.FailedPrecondition, message);

    public static BerthException NotImplemented(string message) => new(ErrorKind.NotImplemented, message);

    public static BerthException Internal(string message, Exception? inner = null) => new(ErrorKind.Internal, message, inner);

    /// <summary>Adds context ("creating container x: …") and keeps the inner error's kind.</summary>
    public static BerthException Wrap(Exception inner, string context)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new BerthException(BerthException.KindOf(inner), $"{context}: {inner.Message}", inner);
    }
}
