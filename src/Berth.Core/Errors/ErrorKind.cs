namespace Berth.Core.Errors;

/// <summary>The closed set of failure classes every component reports; the daemon maps each to one HTTP status.</summary>
public enum ErrorKind
{
    Internal,
    InvalidArgument,
    NotFound,
    AlreadyExists,
    Conflict,
    NotModified,
    FailedPrecondition,
    PermissionDenied,
    Unavailable,
    NotImplemented,
    Canceled,
}
